package io.udapi.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.udapi.audit.Stamp;
import io.udapi.definition.ActionMeta;
import io.udapi.definition.ActionType;
import io.udapi.definition.ApiDefinition;
import io.udapi.definition.InputType;
import io.udapi.secret.LookupTagger;
import io.udapi.secret.SecretHasher;
import io.udapi.store.es.ElasticsearchProcess;
import io.udapi.store.es.ElasticsearchStore;
import io.udapi.token.ApiToken;
import io.udapi.token.RateLimit;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.elasticsearch.client.Request;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up warm load at scale (bench/RESULTS.md, section 7.2): 100,000 tokens and 10,000 definitions seeded
 * with {@code _bulk} (the documents the store writes) into a fresh index prefix, then the packaged service
 * started against them, next to a baseline start against an empty prefix. Prints one summary line;
 * asserts only that the instance got ready with every object loaded.
 *
 * <p>Opt-in extras (each adds up to a minute): {@code -Dudapi.bench.file=true} measures the file store
 * the same way, {@code -Dudapi.bench.diagnostics=true} times the listing from the test JVM.
 *
 * <p>All tokens share one Argon2id hash (hashing 100,000 secrets would take half an hour); names, ids
 * and lookup tags are distinct, and the one secret that matches the hash authenticates (checked).
 */
class WarmLoadBenchmarkIT {

    static final String PEPPER = "warm-load-benchmark-pepper-0123456789";
    static final int TOKENS = Integer.getInteger("udapi.bench.tokens", 100_000);
    static final int DEFINITIONS = Integer.getInteger("udapi.bench.definitions", 10_000);
    static final int TOKENS_PER_DEFINITION = 3;
    static final String SECRET = "warmload-secret-000000-abcdefghijklmnopqrstuvwxyz";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path work;

    record Figures(long readyMs, long loadMs, long loadTotalMs, long heapBytes, long heapAfterGcBytes, long rssKb) {
    }

    @Test
    void warmLoadOf100kTokensAnd10kDefinitions() throws Exception {
        ElasticsearchProcess es = ElasticsearchProcess.shared();
        String emptyPrefix = prefix("empty");
        String loadedPrefix = prefix("loaded");
        try {
            List<ApiToken> tokens = tokens();
            List<ApiDefinition> definitions = definitions();
            long t0 = System.nanoTime();
            seed(es, loadedPrefix, tokens, definitions);
            long seedMs = (System.nanoTime() - t0) / 1_000_000;

            // the same listing the service's load does, from this JVM: how much of the load is Elasticsearch + parsing
            String diagnostics = "list() from the test JVM: -Dudapi.bench.diagnostics=true";
            if (Boolean.getBoolean("udapi.bench.diagnostics")) {
                long listMs = timeList(new ElasticsearchStore(es.client(), loadedPrefix));
                long listBigPagesMs = timeList(new ElasticsearchStore(es.client(), loadedPrefix,
                        io.udapi.store.StoreJson.mapper(), 10_000));
                long[] parts = listingParts(es, loadedPrefix + "tokens");
                diagnostics = String.format("list() from the test JVM %d ms, again (warmer JIT) %d ms; tokens in one "
                        + "stream: java.net.http bytes only %d ms, + stream-parse and bind %d ms, RestClient bytes only "
                        + "%d ms", listMs, listBigPagesMs, parts[0], parts[1], parts[2]);
            }

            // the physical limit: Elasticsearch handing out the same documents with the same searches to a bare
            // HTTP client that only reads the bytes (first run also warms the cluster's caches for both)
            Export exportBefore = export(es, loadedPrefix);
            Figures baseline = measureEs(es, emptyPrefix, "baseline", 0, 0);
            Figures loaded = measureEs(es, loadedPrefix, "loaded", TOKENS, DEFINITIONS);
            Export exportAfter = export(es, loadedPrefix);
            summary("elasticsearch", seedMs, diagnostics, baseline, loaded);
            long parallelMs = Math.min(exportBefore.parallelMs(), exportAfter.parallelMs());
            long sequentialMs = Math.min(exportBefore.sequentialMs(), exportAfter.sequentialMs());
            long best = Math.min(parallelMs, sequentialMs);
            System.out.printf("WarmLoadBenchmarkIT: export of the same %d documents by a bare HTTP client (the "
                            + "service's searches, bodies read and dropped; before / after the service runs): in the "
                            + "service's id ranges in parallel %d / %d ms, one stream %d / %d ms, %.1f MB; with the "
                            + "old filtered body (_source [object] + filter_path) %d / %d ms | udapi warm load %d ms = "
                            + "x%.2f the fastest export (x%.2f parallel, x%.2f one stream) | load average %s%n",
                    TOKENS + DEFINITIONS, exportBefore.parallelMs(), exportAfter.parallelMs(),
                    exportBefore.sequentialMs(), exportAfter.sequentialMs(), exportAfter.bytes() / 1e6,
                    exportBefore.filteredMs(), exportAfter.filteredMs(), loaded.loadMs, (double) loaded.loadMs / best,
                    (double) loaded.loadMs / parallelMs, (double) loaded.loadMs / sequentialMs, loadAverage());

            if (Boolean.getBoolean("udapi.bench.file")) {   // about a minute more: opt-in
                Path fileData = work.resolve("file-loaded-data");
                long f0 = System.nanoTime();
                seedFiles(fileData, tokens, definitions);
                long fileSeedMs = (System.nanoTime() - f0) / 1_000_000;
                java.util.Map<String, String> fileConfig = ServiceProcess.config("udapi.secrets.pepper", PEPPER);
                Figures fileBaseline = measure(work.resolve("file-empty-data"), "file-baseline", 0, 0, fileConfig);
                Figures fileLoaded = measure(fileData, "file-loaded", TOKENS, DEFINITIONS, fileConfig);
                summary("file", fileSeedMs, "files written without fsync", fileBaseline, fileLoaded);
            }
        } finally {
            List<String> indices = new ArrayList<>(new ElasticsearchStore(es.client(), emptyPrefix).indexNames());
            indices.addAll(new ElasticsearchStore(es.client(), loadedPrefix).indexNames());
            Request delete = new Request("DELETE", "/" + String.join(",", indices));
            delete.addParameter("ignore_unavailable", "true");
            es.client().performRequest(delete);
        }
    }

    record Export(long parallelMs, long sequentialMs, long filteredMs, long bytes) {
    }

    private static Export export(ElasticsearchProcess es, String prefix) throws Exception {
        long f0 = System.nanoTime();
        int filtered = 0;
        for (String index : List.of(prefix + "tokens", prefix + "definitions")) {
            filtered += (int) exportRange("http://" + es.hostAndPort() + "/" + index, null, null, true)[0];
        }
        long filteredMs = (System.nanoTime() - f0) / 1_000_000;
        assertEquals(TOKENS + DEFINITIONS, filtered, "filtered export");
        Export unfiltered = exportUnfiltered(es, prefix);
        return new Export(unfiltered.parallelMs(), unfiltered.sequentialMs(), filteredMs, unfiltered.bytes());
    }

    private static Export exportUnfiltered(ElasticsearchProcess es, String prefix) throws Exception {
        String base = "http://" + es.hostAndPort() + "/";
        List<String> indices = List.of(prefix + "tokens", prefix + "definitions");
        long s0 = System.nanoTime();
        long bytes = 0;
        int documents = 0;
        for (String index : indices) {
            long[] got = exportRange(base + index, null, null, false);
            documents += (int) got[0];
            bytes += got[1];
        }
        long sequentialMs = (System.nanoTime() - s0) / 1_000_000;
        assertEquals(TOKENS + DEFINITIONS, documents, "sequential export");

        List<String> bounds = new ArrayList<>();
        bounds.add(null);
        bounds.addAll(io.udapi.store.es.EsQueries.LIST_SPLITS);
        bounds.add(null);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(bounds.size() - 1);
        try {
            long p0 = System.nanoTime();
            int parallelDocuments = 0;
            for (String index : indices) {      // as the service: one kind after the other, its ranges at once
                List<java.util.concurrent.Future<long[]>> ranges = new ArrayList<>();
                for (int r = 0; r < bounds.size() - 1; r++) {
                    String from = bounds.get(r);
                    String to = bounds.get(r + 1);
                    ranges.add(pool.submit(() -> exportRange(base + index, from, to, false)));
                }
                for (java.util.concurrent.Future<long[]> range : ranges) {
                    parallelDocuments += (int) range.get()[0];
                }
            }
            long parallelMs = (System.nanoTime() - p0) / 1_000_000;
            assertEquals(TOKENS + DEFINITIONS, parallelDocuments, "parallel export");
            return new Export(parallelMs, sequentialMs, -1, bytes);
        } finally {
            pool.shutdownNow();
        }
    }

    private static final Pattern LAST_SORT = Pattern.compile("\"sort\":(\\[[^\\]]*\\])");

    /**
     * Pages through one id range with the service's own search body; returns {documents, bytes}.
     * {@code filtered}: the body the service sent before, {@code _source} cut to the object and a
     * {@code filter_path}, which makes Elasticsearch re-serialise every document.
     */
    private static long[] exportRange(String indexUrl, String from, String to, boolean filtered) throws Exception {
        int size = io.udapi.store.es.EsQueries.MAX_WINDOW;
        com.fasterxml.jackson.databind.JsonNode after = null;
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        long documents = 0;
        long bytes = 0;
        while (true) {
            com.fasterxml.jackson.databind.node.ObjectNode search = io.udapi.store.es.EsQueries.listPage(size, after, from, to);
            if (filtered) {
                search.putArray("_source").add("object");
            }
            String body = json.writeValueAsString(search);
            HttpResponse<byte[]> page = HTTP.send(HttpRequest.newBuilder(URI.create(indexUrl + "/_search"
                            + (filtered ? "?filter_path=hits.hits._id,hits.hits._source.object,hits.hits.sort" : "")))
                    .timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, page.statusCode());
            bytes += page.body().length;
            // the only parsing: count the hits and take the last sort values, as search_after needs them
            String text = new String(page.body(), StandardCharsets.ISO_8859_1);
            int hits = 0;
            for (int i = text.indexOf("\"_id\":"); i >= 0; i = text.indexOf("\"_id\":", i + 6)) {
                hits++;
            }
            documents += hits;
            if (hits < size) {
                return new long[] {documents, bytes};
            }
            Matcher sort = LAST_SORT.matcher(text.substring(text.lastIndexOf("\"sort\":")));
            assertTrue(sort.find());
            after = json.readTree(sort.group(1));
        }
    }

    /** Where list() spends its time: {bytes over java.net.http, the same + parse and bind, bytes over RestClient}. */
    private static long[] listingParts(ElasticsearchProcess es, String index) throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = io.udapi.store.StoreJson.mapper();
        String url = "http://" + es.hostAndPort() + "/" + index + "/_search";
        long[] result = new long[3];
        for (int mode = 0; mode < 3; mode++) {
            long t0 = System.nanoTime();
            com.fasterxml.jackson.databind.JsonNode after = null;
            int total = 0;
            while (true) {
                String body = json.writeValueAsString(io.udapi.store.es.EsQueries.listPage(10_000, after, null, null));
                byte[] bytes;
                if (mode < 2) {
                    bytes = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                            HttpResponse.BodyHandlers.ofByteArray()).body();
                } else {
                    Request search = new Request("POST", "/" + index + "/_search");
                    search.setJsonEntity(body);
                    bytes = org.apache.http.util.EntityUtils.toByteArray(es.client().performRequest(search).getEntity());
                }
                int[] bound = {0};
                io.udapi.store.es.EsDocuments.StreamedPage page;
                if (mode == 1) {
                    page = io.udapi.store.es.EsDocuments.streamHits(json.getFactory().createParser(bytes), (id, object) -> {
                        object.readValueAs(ApiToken.class);
                        bound[0]++;
                    });
                } else {
                    page = io.udapi.store.es.EsDocuments.streamHits(json.getFactory().createParser(bytes), (id, o) -> { });
                }
                total += page.hits();
                if (page.hits() < 10_000) {
                    break;
                }
                after = page.lastSort();
            }
            assertEquals(TOKENS, total);
            result[mode] = (System.nanoTime() - t0) / 1_000_000;
        }
        return result;
    }

    private static long timeList(ElasticsearchStore reader) {
        long l0 = System.nanoTime();
        int listed = reader.tokens().list().size() + reader.definitions().list().size();
        assertEquals(TOKENS + DEFINITIONS, listed);
        return (System.nanoTime() - l0) / 1_000_000;
    }

    private static void summary(String store, long seedMs, String extra, Figures baseline, Figures loaded) {
        System.out.printf("WarmLoadBenchmarkIT: %s store, %d tokens + %d definitions (seeded in %d ms; %s) | warm load "
                        + "%d ms, %d ms with opening the store and the admin bootstrap (baseline %d ms, %d ms) | ready %d ms "
                        + "(baseline %d ms, x%.2f) | heap used %d MiB (baseline %d MiB, x%.2f) | heap after GC %d MiB "
                        + "(baseline %d MiB, x%.2f, +%d MiB) | RSS %d MiB (baseline %d MiB, x%.2f) | load average %s%n",
                store, TOKENS, DEFINITIONS, seedMs, extra, loaded.loadMs, loaded.loadTotalMs, baseline.loadMs,
                baseline.loadTotalMs, loaded.readyMs, baseline.readyMs,
                ratio(loaded.readyMs, baseline.readyMs), mib(loaded.heapBytes), mib(baseline.heapBytes),
                ratio(loaded.heapBytes, baseline.heapBytes), mib(loaded.heapAfterGcBytes),
                mib(baseline.heapAfterGcBytes), ratio(loaded.heapAfterGcBytes, baseline.heapAfterGcBytes),
                mib(loaded.heapAfterGcBytes - baseline.heapAfterGcBytes), loaded.rssKb / 1024,
                baseline.rssKb / 1024, ratio(loaded.rssKb, baseline.rssKb), loadAverage());
    }

    private static String prefix(String what) {
        return "udapi-warm-" + what + "-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    }

    /** 100,000 tokens and 10,000 definitions through the store's own bulk import. */
    private static void seed(ElasticsearchProcess es, String prefix, List<ApiToken> tokens, List<ApiDefinition> definitions) {
        ElasticsearchStore store = new ElasticsearchStore(es.client(), prefix);
        store.ensureIndices();
        assertEquals(TOKENS, store.importTokens(tokens));
        assertEquals(DEFINITIONS, store.importDefinitions(definitions));
    }

    /** The same objects as the files the file store writes ({@code <dir>/<kind>/<id>.json}), without fsync. */
    private static void seedFiles(Path dir, List<ApiToken> tokens, List<ApiDefinition> definitions) throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = io.udapi.store.StoreJson.mapper();
        Files.createDirectories(dir.resolve("tokens"));
        Files.createDirectories(dir.resolve("definitions"));
        for (ApiToken t : tokens) {
            Files.write(dir.resolve("tokens").resolve(t.id() + ".json"), json.writeValueAsBytes(t));
        }
        for (ApiDefinition d : definitions) {
            Files.write(dir.resolve("definitions").resolve(d.id() + ".json"), json.writeValueAsBytes(d));
        }
    }

    private static List<ApiToken> tokens() {
        String hash = new SecretHasher().hash(SECRET);
        LookupTagger tagger = new LookupTagger(PEPPER);
        Instant now = Instant.now();
        Stamp stamp = Stamp.created("bench", now);
        RateLimit limit = new RateLimit(60, Duration.ofMinutes(1));
        List<ApiToken> tokens = new ArrayList<>(TOKENS);
        for (int i = 0; i < TOKENS; i++) {
            // token 0 carries the tag of the one secret that matches the shared hash; the others a tag of their own
            String secret = i == 0 ? SECRET : String.format("warmload-secret-%06d-abcdefghijklmnopqrstuvwxyz", i);
            tokens.add(new ApiToken(tokenId(i), String.format("bench-token-%06d", i), hash, tagger.tag(secret),
                    secret.substring(0, 4), false, null, i % 2 == 0 ? limit : null, stamp, 1));
        }
        return tokens;
    }

    private static List<ApiDefinition> definitions() {
        Stamp stamp = Stamp.created("bench", Instant.now());
        List<ApiDefinition> definitions = new ArrayList<>(DEFINITIONS);
        for (int d = 0; d < DEFINITIONS; d++) {
            Set<String> allowed = new java.util.HashSet<>();
            for (int k = 0; k < TOKENS_PER_DEFINITION; k++) {
                allowed.add(tokenId((d * 7 + k * 33_331) % TOKENS));
            }
            definitions.add(new ApiDefinition(UUID.nameUUIDFromBytes(("def-" + d).getBytes(StandardCharsets.UTF_8)).toString(),
                    "bench definition " + d, null, String.format("bench/d%05d/items/{id}", d), allowed,
                    ActionType.AutomationScript, new ActionMeta("echo", InputType.RawBody), stamp, 1));
        }
        return definitions;
    }

    static String tokenId(int i) {
        return UUID.nameUUIDFromBytes(("token-" + i).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private Figures measureEs(ElasticsearchProcess es, String prefix, String name, int tokens, int definitions)
            throws Exception {
        return measure(work.resolve(name + "-data"), name, tokens, definitions, ServiceProcess.config(
                "udapi.store", "elasticsearch",
                "quarkus.elasticsearch.hosts", es.hostAndPort(),
                "udapi.elasticsearch.index-prefix", prefix,
                "udapi.secrets.pepper", PEPPER));
    }

    private Figures measure(Path dataDir, String name, int tokens, int definitions, java.util.Map<String, String> config)
            throws Exception {
        try (ServiceProcess service = new ServiceProcess(dataDir, work.resolve(name + ".log"), config)
                .start(Duration.ofSeconds(150))) {
            long readyMs = service.readyMillis();
            String mgmt = "http://127.0.0.1:" + service.managementPort();
            String readiness = get(mgmt + "/q/health/ready");
            assertTrue(Pattern.compile("\"tokens\"\\s*:\\s*" + tokens + "\\b").matcher(readiness).find(), readiness);
            assertTrue(Pattern.compile("\"definitions\"\\s*:\\s*" + definitions + "\\b").matcher(readiness).find(),
                    readiness);
            String log = Files.readString(service.logFile());
            Matcher loaded = Pattern.compile("registry loaded in (\\d+) ms: (\\d+) tokens, (\\d+) definitions").matcher(log);
            assertTrue(loaded.find(), "no 'registry loaded in' line in the log:\n" + log);
            assertEquals(tokens, Integer.parseInt(loaded.group(2)));
            assertEquals(definitions, Integer.parseInt(loaded.group(3)));
            if (tokens > 0) {
                AdminClient client = new AdminClient(service.baseUrl(), "admin", ServiceProcess.ADMIN_PASSWORD);
                assertEquals(200, client.trigger("bench/d00000/items/7", SECRET).statusCode(),
                        "token 0 (allowed on definition 0) authenticates");
            }
            long heap = heapUsed(mgmt);
            long rss = rssKb(service.pid());
            gc(service.pid());
            long heapAfterGc = heapUsed(mgmt);
            Matcher breakdown = Pattern.compile("listed \\d+ tokens in .*").matcher(log);
            if (breakdown.find()) {
                System.out.printf("WarmLoadBenchmarkIT: %s: %s%n", name, breakdown.group());
            }
            Matcher total = Pattern.compile("\\((\\d+) ms with opening the store").matcher(log);
            assertTrue(total.find(), log);
            return new Figures(readyMs, Long.parseLong(loaded.group(1)), Long.parseLong(total.group(1)), heap,
                    heapAfterGc, rss);
        }
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), url + ": " + response.body());
        return response.body();
    }

    /** Sum of {@code jvm_memory_used_bytes{area="heap",...}} over the heap pools. */
    private static long heapUsed(String mgmt) throws Exception {
        double sum = 0;
        for (String line : get(mgmt + "/q/metrics").split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        assertTrue(sum > 0, "no heap metric");
        return (long) sum;
    }

    private static long rssKb(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /** A full GC in the service through {@code jcmd} (same user, same JDK), so heap-after-GC is the live set. */
    private static void gc(long pid) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.run").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor(), "jcmd GC.run");
        Thread.sleep(200);
    }

    private static long mib(long bytes) {
        return bytes / (1024 * 1024);
    }

    private static double ratio(long a, long b) {
        return b == 0 ? Double.NaN : (double) a / b;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "?";
        }
    }
}
