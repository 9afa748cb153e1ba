package io.udapi.script;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScriptNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "deploy.sh", "run-job_2", "A.B.C", "x..y", "a.", "0"})
    void validateWhenNameFollowsTheRuleThenNoProblem(String name) {
        assertTrue(ScriptName.validate(name).isEmpty(), name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", ".hidden", "../x", "/etc/passwd", "a/b", "a\\b", "a b", "é", "a\u0000",
            "x:y", "~root", "a*"})
    void validateWhenNameCouldLeaveTheDirectoryOrHasOtherCharactersThenProblem(String name) {
        assertTrue(ScriptName.validate(name).isPresent(), name);
    }

    @ParameterizedTest
    @ValueSource(ints = {128, 129})
    void validateWhenLongThenOnlyUpTo128(int length) {
        String name = "a".repeat(length);
        assertTrue(ScriptName.isValid(name) == (length <= 128));
        assertFalse(ScriptName.isValid(null));
    }
}
