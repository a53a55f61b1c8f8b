package io.durablejobs.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MonitorLineTest {

    @Test
    void aScriptWrite_isSplitIntoUnescapedArguments() {
        String line = "1700000000.123456 [0 lua] \"HSET\" \"ns:job:{j1}\" \"result\" \"{\\\"statusCode\\\":204}\" \"status\" \"succeeded\"";
        assertThat(MonitorLine.args(line)).containsExactly("HSET", "ns:job:{j1}", "result", "{\"statusCode\":204}", "status", "succeeded");
        assertThat(MonitorLine.fromScript(line)).isTrue();
    }

    @Test
    void escapes_andClientLines_andNonCommands() {
        String line = "1700000000.1 [0 127.0.0.1:5555] \"SET\" \"a\\\\b\" \"\\x41\\n\"";
        assertThat(MonitorLine.args(line)).containsExactly("SET", "a\\b", "A\n");
        assertThat(MonitorLine.fromScript(line)).isFalse();
        assertThat(MonitorLine.args("OK")).isEmpty();
    }

    @Test
    void theMonitor_countsOnlyStatusFields_ofItsNamespace() {
        StatusLedger ledger = new StatusLedger();
        ledger.newLife(1, true);
        StatusWriteMonitor m = new StatusWriteMonitor("ns", ledger);
        m.accept("1.0 [0 lua] \"HSET\" \"ns:job:{j1}\" \"tenant\" \"status\" \"status\" \"running\"");
        m.accept("1.0 [0 lua] \"HSET\" \"other:job:{j1}\" \"status\" \"succeeded\"");
        m.accept("1.0 [0 127.0.0.1:1] \"EVALSHA\" \"abc\" \"1\" \"ns:job:{j1}\" \"succeeded\"");
        assertThat(ledger.trail("j1").lastStatus()).isEqualTo("running");
        assertThat(ledger.trail("j1").completions()).isZero();
        m.accept("1.0 [0 lua] \"HSET\" \"ns:job:{j1}\" \"status\" \"succeeded\" \"updatedAt\" \"x\"");
        assertThat(ledger.trail("j1").completions()).isEqualTo(1);
    }
}
