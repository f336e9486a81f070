package io.streamrec.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StageCpuTest {
    @Test
    void threadsMapToTheStagesFlinkNamesThemBy() {
        assertThat(StageCpu.stageOf("reward-joiner -> transitions: Writer -> transitions: Committer (1/2)#0"))
                .isEqualTo("reward joiner");
        assertThat(StageCpu.stageOf("Source Data Fetcher for Source: ratings -> dead-letter-router (2/2)#0"))
                .startsWith("ingest");
        assertThat(StageCpu.stageOf("genreq-merge -> eval-genreq-slates (1/2)#0"))
                .isEqualTo("evaluation: genre Q-tables");
        assertThat(StageCpu.stageOf("streamrec-actor-1")).isEqualTo("serving inference (DRR actor)");
        assertThat(StageCpu.stageOf("flink-pekko.actor.default-dispatcher-4")).isEqualTo(StageCpu.OTHER);
        assertThat(StageCpu.stageOf(null)).isEqualTo(StageCpu.OTHER);
    }

    /** 0.2 cores for 100 s at 2,000 events/s: 20 CPU-s over 200,000 events = 100 CPU-ms per 1,000. */
    @Test
    void cpuSecondsBecomeCoresAndMillisecondsPerThousandEvents() {
        Map<String, Double> cpu = new LinkedHashMap<>();
        cpu.put("reward joiner", 20.0);
        cpu.put("learner", 5.0);
        String table = StageCpu.table(new StageCpu.Window(cpu, 100, 2), 2000);
        assertThat(table).contains("| reward joiner | 0.200 | 100.0 |");
        assertThat(table).contains("| learner | 0.050 | 25.0 |");
        assertThat(table).contains("| **the JVM's Java threads** | 0.250 | 125.0 |");
    }
}
