package io.streamthings.benchmarks;

import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Closed-loop load: {@code clients} threads each send one request, wait for the answer, and send the next, until the
 * request budget or the time budget runs out, whichever comes first. Loopback only.
 */
final class LoadRun {

    private final HttpClient http;
    private final int clients;
    private final int maxRequests;
    private final Duration maxTime;

    LoadRun(HttpClient http, int clients, int maxRequests, Duration maxTime) {
        this.http = http;
        this.clients = clients;
        this.maxRequests = maxRequests;
        this.maxTime = maxTime;
    }

    /**
     * Runs the load; {@code request} builds the i-th request and {@code expectedStatus} is the answer that counts as
     * a success.
     */
    Latencies run(IntFunction<HttpRequest> request, int expectedStatus) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        long deadline = System.nanoTime() + maxTime.toNanos();
        List<long[]> perClient = new ArrayList<>();
        List<int[]> counts = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(clients);
        long cpuStart = processCpuNanos();
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            long[] samples = new long[maxRequests];
            int[] n = new int[1];
            perClient.add(samples);
            counts.add(n);
            Thread t = new Thread(() -> {
                try {
                    int i;
                    while ((i = next.getAndIncrement()) < maxRequests && System.nanoTime() < deadline) {
                        long t0 = System.nanoTime();
                        try {
                            HttpResponse<Void> r = http.send(request.apply(i), HttpResponse.BodyHandlers.discarding());
                            if (r.statusCode() == expectedStatus) {
                                samples[n[0]++] = System.nanoTime() - t0;
                            } else {
                                errors.incrementAndGet();
                            }
                        } catch (java.io.IOException e) {
                            errors.incrementAndGet();
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            }, "load-client-" + c);
            t.setDaemon(true);
            t.start();
        }
        done.await();
        long wall = System.nanoTime() - start;
        long cpu = processCpuNanos() - cpuStart;
        int total = counts.stream().mapToInt(n -> n[0]).sum();
        long[] all = new long[total];
        int k = 0;
        for (int c = 0; c < clients; c++) {
            System.arraycopy(perClient.get(c), 0, all, k, counts.get(c)[0]);
            k += counts.get(c)[0];
        }
        return new Latencies(all, wall, errors.get(), cpu);
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
