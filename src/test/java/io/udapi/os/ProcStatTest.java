package io.udapi.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProcStatTest {

    // the first fields of a real line (a shell), then the 45 others of proc(5) cut short
    private static final String SHELL = "5206 (bash) S 5205 5206 5206 34816 12790 4194560 2305 13104 0 0 3 2 14 8 20 0 1 0 "
            + "9352 8376320 1024 18446744073709551615";

    @Test
    void parseWhenLineIsOrdinaryThenReadsPidCommStateParentGroupAndSession() {
        assertEquals(new ProcStat(5206, "bash", 'S', 5205, 5206, 5206), ProcStat.parse(SHELL));
    }

    @Test
    void parseWhenCommandNameHoldsSpacesAndParenthesesThenFieldsAfterTheLastParenthesisCount() {
        // a process names itself: "a) Z 1 1 1 (x" would fool a parser that stops at the first ')'
        ProcStat stat = ProcStat.parse("42 (a) Z 1 1 1 (x)) S 7 42 42 0 -1");
        assertEquals("a) Z 1 1 1 (x)", stat.comm());
        assertEquals('S', stat.state());
        assertEquals(7, stat.ppid());
        assertFalse(stat.zombie());
    }

    @Test
    void parseWhenStateIsZThenZombie() {
        ProcStat stat = ProcStat.parse("77 (sleep) Z 1000 900 900 0 -1 4228108");
        assertTrue(stat.zombie());
        assertEquals(1000, stat.ppid());
        assertEquals(900, stat.session());
    }

    @Test
    void parseWhenLineIsNotAStatLineThenRefused() {
        for (String bad : List.of("", "42", "42 bash S 1 1 1", "x (bash) S 1 1 1", "42 (bash) S 1 1", "42 (bash) S one 1 1",
                "42 (bash) SS 1 1 1", "42 (bash")) {
            assertThrows(IllegalArgumentException.class, () -> ProcStat.parse(bad), bad);
        }
    }

    @Test
    void readWhenProcessIsThisJvmThenItsOwnStat() {
        long self = ProcessHandle.current().pid();
        ProcStat stat = ProcStat.read(self).orElseThrow();
        assertEquals(self, stat.pid());
        assertEquals(ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(0L), stat.ppid());
    }

    @Test
    void readWhenProcessDoesNotExistThenEmpty() {
        assertTrue(ProcStat.read(Long.MAX_VALUE).isEmpty());
    }

    @Test
    void parseChildrenReadsSpaceSeparatedPidsAndAnEmptyFileAsNone() {
        assertEquals(List.of(), ProcStat.parseChildren(""));
        assertEquals(List.of(), ProcStat.parseChildren("\n"));
        assertEquals(List.of(12703L, 12704L), ProcStat.parseChildren("12703 12704 "));
        assertEquals(List.of(9L), ProcStat.parseChildren("9"));
    }
}
