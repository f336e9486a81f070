package io.streamrec.offline;

import io.streamrec.movielens.EventLog;
import io.streamrec.movielens.SyntheticGenerator.SyntheticData;
import io.streamrec.schema.Movie;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A stream in which the order of a user's ratings matters: items belong to topics; a user rates unrated items of a
 * current topic and moves to a random other topic with probability {@code switchProbability} after each rating, so
 * the next item most likely shares the topic of the latest rating. A window of several items typically spans two or
 * three topics: a policy that weighs the whole window alike (item-kNN, popularity) recommends the older topics as much
 * as the current one; one that reads the window as a sequence can put the recent items first.
 */
final class TopicWalks {
    private TopicWalks() {}

    static SyntheticData generate(
            int users, int topics, int perTopic, int eventsPerUser, double switchProbability, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Movie> movies = new ArrayList<>();
        for (int t = 0; t < topics; t++) {
            for (int j = 0; j < perTopic; j++) {
                movies.add(new Movie(t * perTopic + j + 1, "topic " + t + " item " + j, List.of("T" + t)));
            }
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
                int free = perTopic
                        - rated[u].get(t * perTopic, (t + 1) * perTopic).cardinality();
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
            time += 10_000; // a user rates every ~25 minutes on average: within one session
            log.add(u + 1, item + 1, 5f, time);
            if (--left[u] == 0) active--;
            if (rnd.nextDouble() < switchProbability) {
                int next = rnd.nextInt(topics - 1);
                topic[u] = next >= topic[u] ? next + 1 : next;
            }
        }
        return new SyntheticData(log, movies);
    }
}
