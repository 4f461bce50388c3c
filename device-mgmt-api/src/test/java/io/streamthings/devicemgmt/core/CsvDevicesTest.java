package io.streamthings.devicemgmt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamthings.devicemgmt.api.EnrollRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvDevicesTest {

    @Test
    void shouldReadFieldsGroupsAndExtraColumnsAsProperties() {
        List<CsvDevices.Parsed> rows = CsvDevices.parse(
                "\uFEFFid,Name,type,groups,Site\r\nd1,\"Boiler, east\",thermo,a; b,north\r\nd2,x,thermo,,\r\n");

        assertThat(rows).hasSize(2);
        EnrollRequest first = rows.get(0).request();
        assertThat(first.id()).isEqualTo("d1");
        assertThat(first.name()).isEqualTo("Boiler, east");
        assertThat(first.groups()).containsExactly("a", "b");
        assertThat(first.properties()).containsEntry("Site", "north");
        EnrollRequest second = rows.get(1).request();
        assertThat(second.groups()).isNull();
        assertThat(second.properties()).isNull();
    }

    @Test
    void shouldUnescapeDoubledQuotesAndKeepNewlinesInsideQuotes() {
        List<List<String>> records = CsvDevices.records("a,b\n\"say \"\"hi\"\"\",\"two\nlines\"\n");

        assertThat(records).containsExactly(List.of("a", "b"), List.of("say \"hi\"", "two\nlines"));
    }

    @Test
    void shouldReportALineWithTheWrongNumberOfCells() {
        List<CsvDevices.Parsed> rows = CsvDevices.parse("name,type\nonly-one\n\nok,thermo");

        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).error()).contains("line 2");
        assertThat(rows.get(1).request().name()).isEqualTo("ok");
    }

    @Test
    void shouldRefuseAHeaderWithoutNameAndTypeAndAnUnclosedQuote() {
        assertThatThrownBy(() -> CsvDevices.parse("id,site\n1,2")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CsvDevices.parse("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CsvDevices.parse("name,type\n\"open,x")).isInstanceOf(IllegalArgumentException.class);
    }
}
