package io.streamrec.learner;

import io.streamrec.actor.ActorSettings;
import org.junit.jupiter.api.Test;

class ScratchTest {
    @Test
    void variants() {
        var data = SequenceLearningTest.topicWalks(150, 20, 15, 80, Double.parseDouble(System.getProperty("switch", "0.35")), 17);
        ActorSettings actor = ActorSettings.builder().embeddingDim(16).hiddenDim(32).windowSize(5).k(10).seed(5)
                .stateRepresentation(io.streamrec.model.StateRepresentation.AVE_RES).build();
        String v = System.getProperty("variant", "a");
        for (String one : v.split(",")) {
            LearnerSettings ls = new LearnerSettings();
            ls.batchSize = 32; ls.warmup = 64; ls.replayRatio = 16; ls.pacing = Pacing.SYNC; ls.criticHiddenDim = 32;
            ls.actorLr = 1e-3f; ls.criticLr = 1e-3f; ls.seed = 5;
            if (one.contains("e")) ls.embeddingLr = 1e-2f;
            if (one.contains("s")) ls.policyDelay = 1_000_000_000;   // supervised only (actor Q term off)
            if (one.contains("l")) { ls.auxLoss = LearnerSettings.AuxLoss.LOGISTIC; ls.auxNegatives = 4; }
            if (one.contains("o")) { ls.twinCritics = false; ls.targetNoise = 0; ls.policyDelay = 1; ls.boundedTargets = false; }
            if (one.contains("r")) ls.replayRatio = 4;
            if (one.contains("R")) ls.replayRatio = 64;
            if (one.contains("d")) ls.auxDiscount = 0.5f;
            if (one.contains("t")) ls.auxDiscount = 0.25f;
            if (one.contains("p")) ls.auxPositives = 1;
            if (one.contains("c")) ls.criticTrainsState = false;
            if (one.contains("q")) ls.qWeight = 1f;
            if (one.contains("u")) ls.alpha = 0;
            if (one.contains("Q")) ls.qWeight = 0.1f;
            if (one.contains("w")) ls.qWeight = -1f;
            if (one.contains("P")) ls.auxPositives = 3;
            if (one.contains("D")) ls.auxDiscount = 0.8f;
            if (one.contains("A")) { ls.actorLr = 1e-2f; ls.embeddingLr = 1e-2f; }
            int horizon = one.contains("1") ? 1 : one.contains("3") ? 3 : 10;
            var mode = one.contains("k") ? LearningSimulation.Mode.ITEMKNN : LearningSimulation.Mode.LEARN;
            var data2 = one.contains("x") ? io.streamrec.replay.SyntheticGenerator.generate(io.streamrec.replay.SyntheticConfig.of(150, 300, 12_000, 11)) : data;
            var r = LearningSimulation.run(data2, actor, ls, mode, horizon, 2 * 3600_000L, 0, 0, 0.1, 3);
            System.out.println("VARIANT " + one + " " + r);
        }
    }
}
