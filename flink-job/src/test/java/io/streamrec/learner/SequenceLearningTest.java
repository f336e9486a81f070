package io.streamrec.learner;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.model.StateRepresentation;
import io.streamrec.movielens.EventLog;
import io.streamrec.movielens.SyntheticGenerator.SyntheticData;
import io.streamrec.schema.Movie;
import io.streamrec.serving.ActorSettings;
import io.streamrec.testutil.TestSettings;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The done-when test of the DRR issue: on a stream built so that the order of a user's ratings matters, online DRR
 * beats the item-kNN baseline on hit@10 of the next item over the second half (same stream, fixed seeds, sync pacing).
 *
 * <p>The stream: items belong to topics; a user rates items of a current topic and moves to a random other topic
 * with probability {@link #SWITCH} after each rating, so the next item is most likely from the topic of the latest
 * rating. The positive window (5 items) typically spans two or three topics: item-kNN sums co-occurrence over the
 * whole window and recommends the older topics as much as the current one, while DRR's learned position weights and
 * its softmax term can put the recent items first. Recency is the simplest way sequence matters.
 *
 * <p>Measured (this seed, 2026-11-30): DRR hit@10 0.398 vs item-kNN 0.353. How far it holds: with PER (α 0.6) DRR
 * fell to 0.33 (Q weight 0.1) and 0.09–0.20 (Q weight 2.5); with every horizon positive in the supervised term
 * instead of the next one, 0.10; at a switch probability of 0.5 item-kNN wins (0.223 vs 0.146).
 */
class SequenceLearningTest {
    static final double SWITCH = 0.35;

    static SyntheticData topicWalks(int users, int topics, int perTopic, int eventsPerUser, long seed) {
        return topicWalks(users, topics, perTopic, eventsPerUser, SWITCH, seed);
    }

    static SyntheticData topicWalks(
            int users, int topics, int perTopic, int eventsPerUser, double switchProbability, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Movie> movies = new ArrayList<>();
        for (int t = 0; t < topics; t++) {
            for (int j = 0; j < perTopic; j++)
                movies.add(new Movie(t * perTopic + j + 1, "topic " + t + " item " + j, List.of("T" + t)));
        }
        int[] topic = new int[users];
        int[] left = new int[users];
        BitSet[] rated = new BitSet[users];
        for (int u = 0; u < users; u++) {
            topic[u] = rnd.nextInt(topics);
            left[u] = eventsPerUser;
            rated[u] = new BitSet();
        }
        EventLog log = new EventLog(users * eventsPerUser);
        long time = 946_684_800_000L;
        int active = users;
        while (active > 0) {
            int u = rnd.nextInt(users);
            if (left[u] == 0) continue;
            // an unrated item of the current topic, else move to another topic
            int item = -1;
            for (int attempt = 0; attempt < 4 * topics && item < 0; attempt++) {
                int t = topic[u];
                int free = perTopic - cardinality(rated[u], t * perTopic, (t + 1) * perTopic);
                if (free == 0) {
                    topic[u] = rnd.nextInt(topics);
                    continue;
                }
                int pick = rnd.nextInt(free);
                for (int j = t * perTopic; j < (t + 1) * perTopic; j++) {
                    if (rated[u].get(j)) continue;
                    if (pick-- == 0) {
                        item = j;
                        break;
                    }
                }
            }
            if (item < 0) {
                left[u] = 0;
                active--;
                continue;
            }
            rated[u].set(item);
            time += 10_000; // a user rates every ~25 minutes on average: well within the session gap
            log.add(u + 1, item + 1, 5f, time);
            if (--left[u] == 0) active--;
            if (rnd.nextDouble() < switchProbability) {
                int next = rnd.nextInt(topics - 1);
                topic[u] = next >= topic[u] ? next + 1 : next;
            }
        }
        return new SyntheticData(log, movies);
    }

    private static int cardinality(BitSet b, int from, int to) {
        return b.get(from, to).cardinality();
    }

    @Test
    void drrBeatsItemKnnWhenTheOrderOfRatingsMatters() {
        SyntheticData data = topicWalks(150, 20, 15, 80, 17);
        ActorSettings actor = TestSettings.actor()
                .embeddingDim(16)
                .hiddenDim(32)
                .windowSize(5)
                .k(10)
                .seed(5)
                .stateRepresentation(StateRepresentation.AVE_RES)
                .build();
        LearnerSettings ls = TestSettings.learner();
        ls.batchSize = 32;
        ls.warmup = 64;
        ls.replayRatio = 16;
        ls.pacing = Pacing.SYNC;
        ls.criticHiddenDim = 32;
        ls.actorLr = 1e-3f;
        ls.criticLr = 1e-3f;
        ls.seed = 5;
        // The metric here is the next item: the supervised term is matched to it (the first next positive only).
        ls.auxPositives = 1;
        // Uniform replay and a small (normalised) Q term: measured below, PER and a large Q term cost the supervised
        // term more than they give on this stream.
        ls.alpha = 0;
        ls.qWeight = 0.1f;
        long gap = 2 * 3600_000L;
        var drr = LearningSimulation.run(data, actor, ls, LearningSimulation.Mode.LEARN, 10, gap, 0, 0, 0.1, 3);
        var knn = LearningSimulation.run(data, actor, ls, LearningSimulation.Mode.ITEMKNN, 10, gap, 0, 0, 0, 3);
        System.out.println(drr);
        System.out.println(knn);
        assertThat(drr.skipped()).isZero();
        assertThat(drr.hitAt10()).isGreaterThan(knn.hitAt10());
    }
}
