package io.streamrec.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ArgsTest {
    private static final Set<String> FLAGS = Set.of("help", "forever");
    private static final Set<String> VALUED = Set.of("ratings", "speed");

    @Test
    void ownOptionsAreTakenAndTheRestPassesThroughUnchanged() {
        Args a = Args.parse(
                new String[] {
                    "--ratings",
                    "x/ml-100k",
                    "--k",
                    "20",
                    "--forever",
                    "--speed=3600",
                    "--delivery.guarantee=exactly-once",
                    "--eval.enabled"
                },
                FLAGS,
                VALUED,
                true);
        assertThat(a.options())
                .containsExactly(
                        java.util.Map.entry("ratings", "x/ml-100k"),
                        java.util.Map.entry("forever", "true"),
                        java.util.Map.entry("speed", "3600"));
        assertThat(a.rest()).containsExactly("--k", "20", "--delivery.guarantee=exactly-once", "--eval.enabled");
        assertThat(a.get("missing", "d")).isEqualTo("d");
        assertThat(Args.parse(new String[] {"-h"}, FLAGS, VALUED, false).has("help"))
                .isTrue();
        assertThat(Args.parse(new String[] {"--forever=false"}, FLAGS, VALUED, false)
                        .get("forever"))
                .isEqualTo("false");
    }

    @Test
    void mistakesNameTheOption() {
        assertThatThrownBy(() -> Args.parse(new String[] {"--speed"}, FLAGS, VALUED, true))
                .hasMessage("--speed needs a value");
        assertThatThrownBy(() -> Args.parse(new String[] {"--bogus", "1"}, FLAGS, VALUED, false))
                .hasMessage("unknown option --bogus");
        assertThatThrownBy(() -> Args.parse(new String[] {"stray"}, FLAGS, VALUED, false))
                .hasMessage("unexpected argument 'stray'");
    }

    @Test
    void keyValuesReadsConfigurationPairs() {
        assertThat(Args.keyValues("--k", "3", "--a=b", "--flag", "--k", "4"))
                .containsExactly(
                        java.util.Map.entry("k", "4"),
                        java.util.Map.entry("a", "b"),
                        java.util.Map.entry("flag", "true"));
        assertThatThrownBy(() -> Args.keyValues("k", "3")).hasMessageContaining("expected --key value, got 'k'");
    }

    @Test
    void anEntryPointsDefaultIsAddedOnlyWhenTheKeyIsNotGiven() {
        assertThat(Args.withDefault(java.util.List.of("--k", "3"), "eval.sample", "1"))
                .containsExactly("--k", "3", "--eval.sample", "1");
        assertThat(Args.withDefault(java.util.List.of("--eval.sample", "0.2"), "eval.sample", "1"))
                .containsExactly("--eval.sample", "0.2");
        assertThat(Args.withDefault(java.util.List.of("--eval.sample=0.2"), "eval.sample", "1"))
                .containsExactly("--eval.sample=0.2");
        assertThat(Args.withDefault(java.util.List.of("--eval.samples", "2"), "eval.sample", "1"))
                .containsExactly("--eval.samples", "2", "--eval.sample", "1");
    }
}
