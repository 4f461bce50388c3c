package io.streamthings.devicemgmt.core;

import io.streamthings.devicemgmt.api.EnrollRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads devices from CSV (RFC 4180: quoted fields, doubled quotes, CRLF or LF). The first line names the columns:
 * {@code id}, {@code name}, {@code type}, {@code owner} and {@code groups} (separated by {@code ;}) are the device's
 * fields; every other column becomes a string property of that name. An empty cell is absent.
 */
public final class CsvDevices {

    private static final List<String> FIELDS = List.of("id", "name", "type", "owner", "groups");

    private CsvDevices() {}

    /** One entry per data line: the request, or why the line could not be read. */
    public static List<Parsed> parse(String csv) {
        List<List<String>> lines = records(csv);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("CSV is empty: the first line must name the columns");
        }
        List<String> header = lines.get(0).stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).toList();
        if (!header.contains("name") || !header.contains("type")) {
            throw new IllegalArgumentException("CSV header must have columns name and type, got " + header);
        }
        List<Parsed> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            List<String> cells = lines.get(i);
            if (cells.size() == 1 && cells.get(0).isBlank()) {
                continue;
            }
            if (cells.size() != header.size()) {
                rows.add(new Parsed(null, "line " + (i + 1) + ": " + cells.size() + " cells, header has "
                        + header.size()));
                continue;
            }
            rows.add(new Parsed(toRequest(header, lines.get(0), cells), null));
        }
        return rows;
    }

    private static EnrollRequest toRequest(List<String> header, List<String> rawHeader, List<String> cells) {
        Map<String, String> fields = new LinkedHashMap<>();
        Map<String, Object> properties = new LinkedHashMap<>();
        for (int c = 0; c < header.size(); c++) {
            String value = cells.get(c);
            if (value.isEmpty()) {
                continue;
            }
            if (FIELDS.contains(header.get(c))) {
                fields.put(header.get(c), value);
            } else {
                properties.put(rawHeader.get(c).trim(), value);
            }
        }
        List<String> groups = fields.containsKey("groups")
                ? Arrays.stream(fields.get("groups").split(";")).map(String::trim).filter(g -> !g.isEmpty()).toList()
                : null;
        return new EnrollRequest(fields.get("id"), fields.get("name"), fields.get("type"), fields.get("owner"),
                properties.isEmpty() ? null : properties, groups);
    }

    static List<List<String>> records(String csv) {
        List<List<String>> records = new ArrayList<>();
        List<String> current = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        int i = 0;
        int n = csv.length();
        if (n > 0 && csv.charAt(0) == '\uFEFF') {
            i = 1; // a byte-order mark from a spreadsheet export
        }
        for (; i < n; i++) {
            char ch = csv.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < n && csv.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    cell.append(ch);
                }
            } else if (ch == '"' && cell.isEmpty()) {
                quoted = true;
            } else if (ch == ',') {
                current.add(cell.toString());
                cell.setLength(0);
            } else if (ch == '\n' || ch == '\r') {
                if (ch == '\r' && i + 1 < n && csv.charAt(i + 1) == '\n') {
                    i++;
                }
                current.add(cell.toString());
                cell.setLength(0);
                records.add(current);
                current = new ArrayList<>();
            } else {
                cell.append(ch);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("CSV ends inside a quoted field");
        }
        if (!cell.isEmpty() || !current.isEmpty()) {
            current.add(cell.toString());
            records.add(current);
        }
        return records;
    }

    /** A CSV line read: either a request or an error. */
    public record Parsed(EnrollRequest request, String error) {}
}
