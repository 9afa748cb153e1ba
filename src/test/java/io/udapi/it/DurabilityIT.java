package io.udapi.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file store keeps every acknowledged write across {@code kill -9}: writers create and update tokens
 * until the process is killed mid-stream; after a restart every write that got its 2xx is there.
 */
class DurabilityIT {

    @TempDir
    Path work;

    @Test
    void everyAcknowledgedWriteSurvivesKillDashNine() throws Exception {
        Path data = work.resolve("data");
        Map<String, String> acknowledgedNames = new ConcurrentHashMap<>();   // token id → name
        Map<String, Boolean> acknowledgedDisabled = new ConcurrentHashMap<>(); // token id → isDisabled after a PATCH
        Map<String, String> acknowledgedDefinitions = new ConcurrentHashMap<>(); // definition id → route
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch enoughWrites = new CountDownLatch(30);

        ServiceProcess first = new ServiceProcess(data, work.resolve("first.log"), ServiceProcess.config()).start();
        AdminClient admin = new AdminClient(first.baseUrl(), "admin", ServiceProcess.ADMIN_PASSWORD);
        List<Thread> writers = List.of(0, 1).stream().map(w -> new Thread(() -> {
            for (int i = 0; !stop.get(); i++) {
                try {
                    String name = "dur-" + w + "-" + i;
                    HttpResponse<String> created = admin.send("POST", "/admin/v1/tokens", "{\"name\":\"" + name + "\"}");
                    if (created.statusCode() != 201) {
                        continue;
                    }
                    String id = AdminClient.field(created.body(), "id");
                    acknowledgedNames.put(id, name);
                    if (i % 2 == 0 && admin.send("PATCH", "/admin/v1/tokens/" + id, "{\"isDisabled\":true}").statusCode() == 200) {
                        acknowledgedDisabled.put(id, true);
                    }
                    if (i % 3 == 0) {
                        HttpResponse<String> def = admin.send("POST", "/admin/v1/definitions",
                                "{\"route\":\"dur/" + name + "\",\"allowedTokens\":[\"" + id + "\"],\"actionMeta\":{\"scriptName\":\"echo\"}}");
                        if (def.statusCode() == 201) {
                            acknowledgedDefinitions.put(AdminClient.field(def.body(), "id"), "dur/" + name);
                        }
                    }
                    enoughWrites.countDown();
                } catch (Exception connectionLost) {
                    return; // the process was killed under us: this write was never acknowledged
                }
            }
        })).toList();
        writers.forEach(Thread::start);
        enoughWrites.await();
        first.kill9(); // while the writers are still writing
        stop.set(true);
        for (Thread writer : writers) {
            writer.join();
        }

        try (ServiceProcess second = new ServiceProcess(data, work.resolve("second.log"), ServiceProcess.config()).start()) {
            AdminClient after = new AdminClient(second.baseUrl(), "admin", ServiceProcess.ADMIN_PASSWORD);
            for (Map.Entry<String, String> token : acknowledgedNames.entrySet()) {
                HttpResponse<String> found = after.send("GET", "/admin/v1/tokens/" + token.getKey(), null);
                assertEquals(200, found.statusCode(), "acknowledged token lost: " + token);
                assertTrue(found.body().contains("\"name\":\"" + token.getValue() + "\""), found.body());
                if (acknowledgedDisabled.containsKey(token.getKey())) {
                    assertTrue(found.body().contains("\"isDisabled\":true"), "acknowledged PATCH lost: " + found.body());
                }
            }
            for (Map.Entry<String, String> definition : acknowledgedDefinitions.entrySet()) {
                HttpResponse<String> found = after.send("GET", "/admin/v1/definitions/" + definition.getKey(), null);
                assertEquals(200, found.statusCode(), "acknowledged definition lost: " + definition);
            }
            System.out.printf("DurabilityIT: %d tokens, %d patches, %d definitions acknowledged before kill -9; all found%n",
                    acknowledgedNames.size(), acknowledgedDisabled.size(), acknowledgedDefinitions.size());
            assertTrue(acknowledgedNames.size() >= 30);
        }
    }
}
