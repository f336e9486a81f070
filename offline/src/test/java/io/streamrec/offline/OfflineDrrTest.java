package io.streamrec.offline;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.config.StreamrecConfig;
import io.streamrec.movielens.EventLog;
import io.streamrec.movielens.SyntheticConfig;
import io.streamrec.movielens.SyntheticGenerator;
import io.streamrec.movielens.SyntheticGenerator.SyntheticData;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * DRR rows of the offline protocols: trained on the training part through the online loop's reward rules, the row
 * exists and is finite beside the baselines, and trained DRR beats the same seeded actor with learning off on hit@10
 * under both protocols (same data, same seeds).
 */
class OfflineDrrTest {
    private static final String[] SMALL = {
        "--policies",
        "popularity,mf,drr",
        "--actor.embedding.dim",
        "16",
        "--actor.hidden.dim",
        "32",
        "--learner.critic.hidden.dim",
        "32",
        "--learner.batch.size",
        "32",
        "--learner.actor.lr",
        "0.001",
        "--offline.drr.steps",
        "3000",
        "--actor.seed",
        "5",
        "--learner.seed",
        "5"
    };

    private static StreamrecConfig config(String... extra) {
        List<String> args = new ArrayList<>(List.of(SMALL));
        args.addAll(List.of(extra));
        return StreamrecConfig.fromArgs(args.toArray(String[]::new));
    }

    @Test
    void trainedDrrRowIsFiniteAndBeatsUntrainedDrr() {
        SyntheticData data = SyntheticGenerator.generate(SyntheticConfig.of(400, 300, 24_000, 11));
        EventLog events = data.events().sortByTime();
        ItemCatalog catalog = ItemCatalog.of(data.movies());
        StreamrecConfig trained = config();
        StreamrecConfig untrained = config("--learner.enabled", "false");
        List<String> policies = List.of("popularity", "mf", "drr");

        List<OfflineProtocols.Row> drrA = OfflineProtocols.drrProtocol(events, catalog, trained, policies);
        List<OfflineProtocols.Row> drrA0 = OfflineProtocols.drrProtocol(events, catalog, untrained, List.of("drr"));
        List<OfflineProtocols.Row> temporal = OfflineProtocols.temporalProtocol(events, catalog, trained, policies);
        List<OfflineProtocols.Row> temporal0 =
                OfflineProtocols.temporalProtocol(events, catalog, untrained, List.of("drr"));
        System.out.print(OfflineProtocols.format(drrA)
                + OfflineProtocols.format(drrA0)
                + OfflineProtocols.format(temporal)
                + OfflineProtocols.format(temporal0));

        for (List<OfflineProtocols.Row> rows : List.of(drrA, temporal)) {
            assertThat(rows).extracting(OfflineProtocols.Row::policy).containsExactly("popularity", "mf", "drr");
            OfflineProtocols.Row drr = rows.get(2);
            assertThat(drr.users()).isPositive().isEqualTo(rows.get(0).users());
            for (double v : new double[] {drr.precision(), drr.recall(), drr.ndcg(), drr.hit(), drr.reward()})
                assertThat(v).isFinite();
            assertThat(drr.note()).contains("trained offline: ");
        }
        assertThat(drrA0.get(0).note()).contains("untrained");
        assertThat(drrA.get(2).hit()).isGreaterThan(drrA0.get(0).hit());
        assertThat(temporal.get(2).hit()).isGreaterThan(temporal0.get(0).hit());
    }
}
