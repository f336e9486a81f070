package io.streamrec.closedloop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class ClosedLoopUsersTest {
    private static final int ITEMS = 600;
    private static final int USERS = 40;

    private static List<Document> catalogue() {
        int[] ids = new int[ITEMS];
        int[] topics = new int[ITEMS];
        for (int i = 0; i < ITEMS; i++) {
            ids[i] = i + 1;
            topics[i] = i % UserModel.defaults().topics();
        }
        return ClosedLoopUsers.documents(ids, topics, 7);
    }

    /** An oracle that always shows the 10 items best by {@code key}, whatever the user. */
    private static int[] oracle(List<Document> docs, ToDoubleFunction<Document> key) {
        return docs.stream()
                .sorted(Comparator.comparingDouble(key).reversed())
                .limit(10)
                .mapToInt(Document::itemId)
                .toArray();
    }

    private record Run(double immediate, double longTermReturn, double satisfaction, double ctr) {}

    /** Every user sees the same slate for {@code steps} steps; returns the figures the target compares. */
    private static Run run(int[] slate, int steps) {
        ClosedLoopUsers env = new ClosedLoopUsers(catalogue(), UserModel.defaults(), 42, 0);
        double firstSteps = 0;
        int firstCount = 0;
        for (int u = 1; u <= USERS; u++) {
            for (int s = 0; s < steps; s++) {
                Reaction r = env.respond(u, slate);
                if (s < 5) {
                    firstSteps += r.engagement();
                    firstCount++;
                }
            }
        }
        List<SessionSummary> late = new ArrayList<>();
        for (SessionSummary s : env.sessions()) if (s.session() >= 5) late.add(s);
        double ret =
                late.stream().mapToDouble(SessionSummary::engagement).average().orElse(0);
        double ctr = late.stream().mapToDouble(SessionSummary::ctr).average().orElse(0);
        double sat = 0;
        for (int u = 1; u <= USERS; u++) sat += env.satisfaction(u) / USERS;
        return new Run(firstSteps / firstCount, ret, sat, ctr);
    }

    @Test
    void kaleBeatsChocolateOverTheLongRunThoughChocolateWinsTheFirstSteps() {
        List<Document> docs = catalogue();
        Run kale = run(oracle(docs, Document::quality), 600);
        Run chocolate = run(oracle(docs, Document::appeal), 600);
        System.out.printf(
                "[closed-loop] kale: immediate %.2f min, return %.1f min/session, ctr %.2f, satisfaction %.2f;"
                        + " chocolate: immediate %.2f, return %.1f, ctr %.2f, satisfaction %.2f%n",
                kale.immediate(),
                kale.longTermReturn(),
                kale.ctr(),
                kale.satisfaction(),
                chocolate.immediate(),
                chocolate.longTermReturn(),
                chocolate.ctr(),
                chocolate.satisfaction());
        assertThat(chocolate.immediate()).as("immediate engagement").isGreaterThan(1.5 * kale.immediate());
        assertThat(kale.longTermReturn())
                .as("return per session after warm-up")
                .isGreaterThan(1.5 * chocolate.longTermReturn());
        assertThat(kale.satisfaction()).isGreaterThan(0.8);
        assertThat(chocolate.satisfaction()).isLessThan(0.2);
    }

    @Test
    void aUsersReactionsDependOnlyOnTheSlatesItWasShown() {
        List<Document> docs = catalogue();
        int[] a = oracle(docs, Document::quality);
        int[] b = oracle(docs, Document::appeal);
        ClosedLoopUsers alone = new ClosedLoopUsers(docs, UserModel.defaults(), 3, 0);
        ClosedLoopUsers interleaved = new ClosedLoopUsers(docs, UserModel.defaults(), 3, 0);
        for (int s = 0; s < 300; s++) {
            int[] slate = s % 3 == 0 ? a : b;
            Reaction x = alone.respond(5, slate);
            interleaved.respond(6, b); // another user in between changes nothing for user 5
            interleaved.browse(7);
            Reaction y = interleaved.respond(5, slate);
            assertThat(y).isEqualTo(x);
        }
        ClosedLoopUsers otherSeed = new ClosedLoopUsers(docs, UserModel.defaults(), 4, 0);
        List<Reaction> mine = new ArrayList<>(), theirs = new ArrayList<>();
        ClosedLoopUsers same = new ClosedLoopUsers(docs, UserModel.defaults(), 3, 0);
        for (int s = 0; s < 50; s++) {
            mine.add(same.respond(9, a));
            theirs.add(otherSeed.respond(9, a));
        }
        assertThat(theirs).isNotEqualTo(mine);
    }

    @Test
    void timeMovesForwardAndSessionsEndWhenTheBudgetIsSpent() {
        ClosedLoopUsers env = new ClosedLoopUsers(catalogue(), UserModel.defaults(), 1, 1_000_000L);
        int[] slate = oracle(catalogue(), Document::quality);
        long last = Long.MIN_VALUE;
        int ended = 0;
        for (int s = 0; s < 500; s++) {
            Reaction r = env.respond(1, slate);
            assertThat(r.timestamp()).isGreaterThan(last);
            assertThat(r.rating()).isBetween(0f, 5f);
            if (r.chose()) assertThat(r.rating()).isBetween(1f, 5f);
            last = r.timestamp();
            if (r.sessionEnded()) ended++;
        }
        assertThat(env.sessions()).hasSize(ended).isNotEmpty();
        for (SessionSummary s : env.sessions())
            assertThat(s.engagement() + s.steps() * UserModel.defaults().stepCost())
                    .as("a session spends its budget (at most 1.5 × 60 min) and stops")
                    .isLessThan(1.5 * 60 + 30);
    }
}
