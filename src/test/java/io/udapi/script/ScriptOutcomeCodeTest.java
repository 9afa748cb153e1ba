package io.udapi.script;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScriptOutcomeCodeTest {

    @Test
    void everyFailureMapsToTheStatusAndErrorCodeOfSpec23() {
        Map<ScriptResult.Failure, List<Integer>> expected = Map.ofEntries(
                Map.entry(new ScriptResult.MissingParameters(List.of("a")), List.of(400, 16)),
                Map.entry(new ScriptResult.NotFound("s"), List.of(500, 15)),
                Map.entry(new ScriptResult.Failed("x"), List.of(500, 12)),
                Map.entry(new ScriptResult.BadStatusCode("99"), List.of(500, 1002)),
                Map.entry(new ScriptResult.InvalidOutput("x"), List.of(500, 13)),
                Map.entry(new ScriptResult.OutputTooLarge("output", 1), List.of(500, 17)),
                Map.entry(new ScriptResult.InvalidHeader("x"), List.of(500, 1013)),
                Map.entry(new ScriptResult.BlockedHeader("Vary"), List.of(500, 1012)),
                Map.entry(new ScriptResult.Unreachable("x"), List.of(500, 1001)),
                Map.entry(new ScriptResult.TimedOut(Duration.ofSeconds(1)), List.of(500, 1001)),
                Map.entry(new ScriptResult.Busy(), List.of(503, 1006)),
                Map.entry(new ScriptResult.NotReady("x"), List.of(503, 1006)));
        assertEquals(ScriptOutcomeCode.values().length, expected.size(), "one failure per code");
        expected.forEach((failure, codes) -> {
            assertEquals(codes.get(0), failure.code().httpStatus(), failure.toString());
            assertEquals(codes.get(1), failure.code().errorCode(), failure.toString());
        });
    }
}
