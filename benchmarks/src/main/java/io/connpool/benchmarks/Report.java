package io.connpool.benchmarks;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Turns the JMH JSON files of a {@code run-all.sh} run into the README's tables ({@code summary.md}) and
 * the charts of the uncontended and contended suites ({@code uncontended.png}, {@code contended.png}).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.connpool.benchmarks.Report benchmarks/results
 * </pre>
 */
public final class Report {

    /**
     * As shipped first (each pool at its defaults but for the size; connpool also with the starter's
     * Micrometer listener), then like for like (no expiration, validation or metrics anywhere).
     */
    private static final String[] PEERS = {"connpool-defaults", "connpool-micrometer", "stormpot-defaults", "hikaricp",
            "connpool", "connpool-callback", "stormpot", "hikari-bag", "commons-pool2", "array-queue"};

    private final List<JsonNode> results = new ArrayList<>();
    private final StringBuilder out = new StringBuilder();

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "benchmarks/results");
        Report report = new Report();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                JsonNode array = JsonMapper.shared().readTree(file.toFile());
                array.forEach(report.results::add);
            }
        }
        if (report.results.isEmpty()) {
            throw new IllegalStateException("No JMH JSON results in " + dir.toAbsolutePath());
        }
        report.write(dir);
        System.out.println(report.out);
    }

    private void write(Path dir) throws IOException {
        JsonNode any = results.get(0);
        out.append("JVM: ").append(any.get("vmName").asString()).append(' ').append(any.get("jdkVersion").asString())
                .append(", JMH ").append(any.get("jmhVersion").asString()).append('\n');
        // run-all.sh records the machine the suites ran on; the tables may be redrawn on another one.
        Path machine = dir.resolve("machine.txt");
        out.append("Machine: ").append(Files.exists(machine)
                ? Files.readString(machine).strip()
                : Runtime.getRuntime().availableProcessors() + " CPUs (not recorded by run-all.sh; this is the machine that drew the tables)")
                .append('\n');
        uncontended(dir);
        contended(dir);
        keyed();
        routing();
        redis("RedisBenchmark", "Real server, exclusive: GET through a pool of 8 (ops/ms; latency in ms)");
        redis("RedisSharedBenchmark", "Real server, multiplexed: GET over one shared connection (ops/ms; latency in ms)");
        jdbc();
        Files.writeString(dir.resolve("summary.md"), out);
    }

    private void uncontended(Path dir) throws IOException {
        int[] threads = {1, 2, 4, 8};
        heading("Uncontended: pool of 16, throughput (ops/µs, higher is better)");
        row("peer", "1 thread", "2 threads", "4 threads", "8 threads");
        divider(5);
        CategoryChart chart = chart("Uncontended: pool of 16", "threads", "ops/µs");
        for (String peer : PEERS) {
            List<String> cells = new ArrayList<>(List.of(peer));
            List<String> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            List<Double> errors = new ArrayList<>();
            for (int t : threads) {
                JsonNode r = find("UncontendedBenchmark.cycle", "thrpt", t, Map.of("peer", peer));
                cells.add(r == null ? "" : scoreWithError(r));
                if (r != null) {
                    xs.add(t + (t == 1 ? " thread" : " threads"));
                    ys.add(score(r));
                    errors.add(error(r));
                }
            }
            if (!xs.isEmpty()) {
                row(cells.toArray(String[]::new));
                chart.addSeries(peer, xs, ys, errors);
            }
        }
        ratios("UncontendedBenchmark.cycle", threads, (String) null);
        BitmapEncoder.saveBitmap(chart, dir.resolve("uncontended.png").toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /**
     * The ratios the targets are stated in, as shipped then like for like: one column per thread count
     * and pool size ({@code sizes} holds one null where the suite has a single size).
     */
    private void ratios(String benchmark, int[] threads, String... sizes) {
        ratioRow(benchmark, threads, sizes, "connpool-defaults", "connpool");
        ratioRow(benchmark, threads, sizes, "connpool-defaults", "stormpot-defaults", "hikaricp");
        ratioRow(benchmark, threads, sizes, "connpool-micrometer", "connpool-defaults");
        ratioRow(benchmark, threads, sizes, "connpool", "stormpot", "hikari-bag");
        ratioRow(benchmark, threads, sizes, "connpool", "commons-pool2");
    }

    /** One row: {@code peer}'s throughput over the best of {@code others}'. */
    private void ratioRow(String benchmark, int[] threads, String[] sizes, String peer, String... others) {
        List<String> cells = new ArrayList<>(List.of(peer + " ÷ "
                + (others.length == 1 ? others[0] : "better of " + String.join(", ", others))));
        for (int t : threads) {
            for (String size : sizes) {
                JsonNode mine = find(benchmark, "thrpt", t, params(peer, size));
                double best = 0;
                for (String other : others) {
                    JsonNode r = find(benchmark, "thrpt", t, params(other, size));
                    best = r == null ? Double.NaN : Math.max(best, score(r));
                }
                cells.add(mine == null || Double.isNaN(best) ? "" : ratio(score(mine), best));
            }
        }
        row(cells.toArray(String[]::new));
    }

    private static Map<String, String> params(String peer, String size) {
        return size == null ? Map.of("peer", peer) : Map.of("peer", peer, "size", size);
    }

    private void contended(Path dir) throws IOException {
        heading("Contended: 8 threads; throughput (ops/µs) and latency from sample time (µs)");
        row("peer", "pool", "ops/µs", "p50", "p99", "p99.9", "max");
        divider(7);
        CategoryChart chart = chart("Contended: 8 threads, throughput", "pool size", "ops/µs");
        for (String peer : PEERS) {
            List<String> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            List<Double> errors = new ArrayList<>();
            for (String size : List.of("2", "1")) {
                Map<String, String> params = Map.of("peer", peer, "size", size);
                JsonNode thrpt = find("ContendedBenchmark.cycle", "thrpt", 8, params);
                JsonNode sample = find("ContendedBenchmark.cycle", "sample", 8, params);
                if (thrpt == null && sample == null) {
                    continue;
                }
                row(peer, size, thrpt == null ? "" : scoreWithError(thrpt),
                        percentile(sample, "50.0"), percentile(sample, "99.0"),
                        percentile(sample, "99.9"), percentile(sample, "100.0"));
                if (thrpt != null) {
                    xs.add("pool of " + size);
                    ys.add(score(thrpt));
                    errors.add(error(thrpt));
                }
            }
            if (!xs.isEmpty()) {
                chart.addSeries(peer, xs, ys, errors);
            }
        }
        heading("Contended: throughput ratios (8 threads)");
        row("ratio", "pool of 2", "pool of 1");
        divider(3);
        ratios("ContendedBenchmark.cycle", new int[] {8}, "2", "1");
        BitmapEncoder.saveBitmap(chart, dir.resolve("contended.png").toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private void keyed() {
        heading("Keyed: 4 threads, 4 connections per key, each cycle on a random key; throughput (ops/µs); ns per cycle = 1000 / throughput");
        row("setup", "ops/µs", "ns per cycle", "the pool's own ns (pool − direct)");
        divider(4);
        Map<String, Double> nanos = new LinkedHashMap<>();
        for (JsonNode r : matching("KeyedBenchmark.cycle")) {
            nanos.put(r.get("params").get("setup").asString(), 1000 / score(r));
        }
        for (JsonNode r : matching("KeyedBenchmark.cycle")) {
            String setup = r.get("params").get("setup").asString();
            Double direct = nanos.get("direct" + setup.substring(setup.lastIndexOf('-')));
            String own = setup.startsWith("direct") || direct == null ? "" : format(nanos.get(setup) - direct);
            row(setup, scoreWithError(r), format(nanos.get(setup)), own);
        }
    }

    private void routing() {
        heading("SharedPool routing: one call (~25 ns of work) through the pool vs on the connection directly (ns/op)");
        Set<Integer> threads = new java.util.TreeSet<>();
        matching("SharedRoutingBenchmark").forEach(r -> threads.add(r.get("threads").asInt()));
        List<String> header = new ArrayList<>(List.of("call"));
        threads.forEach(t -> header.add(t + (t == 1 ? " thread" : " threads")));
        row(header.toArray(String[]::new));
        divider(header.size());
        Map<String, Function<JsonNode, Boolean>> rows = new LinkedHashMap<>();
        for (String routing : List.of("ROUND_ROBIN", "LEAST_IN_FLIGHT", "TWO_CHOICES", "UNIFORM_RANDOM")) {
            rows.put("routed, " + routing, r -> r.get("benchmark").asString().endsWith(".routed")
                    && routing.equals(r.get("params").get("router").asString()));
        }
        rows.put("direct", r -> r.get("benchmark").asString().endsWith(".direct"));
        rows.forEach((label, test) -> {
            List<String> cells = new ArrayList<>(List.of(label));
            for (int t : threads) {
                JsonNode r = matching("SharedRoutingBenchmark").stream()
                        .filter(x -> x.get("threads").asInt() == t && test.apply(x)).findFirst().orElse(null);
                cells.add(r == null ? "" : scoreWithError(r));
            }
            if (cells.stream().skip(1).anyMatch(cell -> !cell.isEmpty())) { // a router not run is left out
                row(cells.toArray(String[]::new));
            }
        });
    }

    private void redis(String benchmark, String title) {
        heading(title);
        row("peer", "threads", "ops/ms", "p50", "p99", "p99.9", "max");
        divider(7);
        Set<String> peers = new LinkedHashSet<>();
        matching(benchmark + ".").forEach(r -> peers.add(r.get("params").get("peer").asString()));
        for (String peer : peers) {
            for (int t : new int[] {8, 32}) {
                String method = benchmark + ".get" + t + "Threads";
                JsonNode thrpt = find(method, "thrpt", t, Map.of("peer", peer));
                JsonNode sample = find(method, "sample", t, Map.of("peer", peer));
                if (thrpt == null && sample == null) {
                    continue;
                }
                row(peer, Integer.toString(t), thrpt == null ? "" : scoreWithError(thrpt),
                        percentile(sample, "50.0"), percentile(sample, "99.0"),
                        percentile(sample, "99.9"), percentile(sample, "100.0"));
            }
        }
    }

    private void jdbc() {
        heading("JDBC: H2 server over TCP, 4 threads, pool of 4 (ops/µs)");
        row("peer", "borrow + close", "SELECT 1");
        divider(3);
        for (String peer : List.of("connpool", "hikaricp")) {
            JsonNode borrow = find("JdbcBenchmark.borrow", "thrpt", 4, Map.of("peer", peer));
            JsonNode select = find("JdbcBenchmark.selectOne", "thrpt", 4, Map.of("peer", peer));
            if (borrow != null || select != null) {
                row(peer, borrow == null ? "" : scoreWithError(borrow), select == null ? "" : scoreWithError(select));
            }
        }
    }

    // ---------------------------------------------------------------------------------------------

    private List<JsonNode> matching(String benchmarkPart) {
        return results.stream().filter(r -> r.get("benchmark").asString().contains(benchmarkPart)).toList();
    }

    private JsonNode find(String benchmarkSuffix, String mode, int threads, Map<String, String> params) {
        for (JsonNode r : results) {
            if (!r.get("benchmark").asString().endsWith(benchmarkSuffix) || !mode.equals(r.get("mode").asString())
                    || r.get("threads").asInt() != threads) {
                continue;
            }
            JsonNode actual = r.get("params");
            boolean all = params.entrySet().stream().allMatch(e -> actual != null && actual.has(e.getKey())
                    && e.getValue().equals(actual.get(e.getKey()).asString()));
            if (all) {
                return r;
            }
        }
        return null;
    }

    private static double score(JsonNode r) {
        return r.get("primaryMetric").get("score").asDouble();
    }

    private static double error(JsonNode r) {
        double e = r.get("primaryMetric").get("scoreError").asDouble();
        return Double.isNaN(e) ? 0 : e;
    }

    private static String scoreWithError(JsonNode r) {
        return format(score(r)) + " ± " + format(error(r));
    }

    /** A percentile of a sample-time result, in the benchmark's own time unit. */
    private static String percentile(JsonNode sample, String which) {
        if (sample == null) {
            return "";
        }
        return format(sample.get("primaryMetric").get("scorePercentiles").get(which).asDouble());
    }

    private static String ratio(double a, double b) {
        return String.format(Locale.ROOT, "%.2f×", a / b);
    }

    private static String format(double v) {
        if (v >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (v >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (v >= 0.1 || v == 0) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static CategoryChart chart(String title, String x, String y) {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(500).title(title).xAxisTitle(x).yAxisTitle(y).build();
        chart.getStyler().setErrorBarsColor(java.awt.Color.DARK_GRAY);
        return chart;
    }

    private void heading(String title) {
        out.append("\n**").append(title).append("**\n\n");
    }

    private void row(String... cells) {
        out.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }

    private void divider(int columns) {
        out.append("|").append("---|".repeat(columns)).append("\n");
    }
}
