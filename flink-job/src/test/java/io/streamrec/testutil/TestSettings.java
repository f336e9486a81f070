package io.streamrec.testutil;

import io.streamrec.config.StageSettings;
import io.streamrec.config.StreamrecConfig;
import io.streamrec.learner.LearnerSettings;
import io.streamrec.learner.Pacing;
import io.streamrec.model.StateRepresentation;
import io.streamrec.serving.ActorSettings;

/**
 * The settings the unit tests start from: the product's defaults (the configuration keys'), with the few choices
 * these tests were written for pinned here — the plain DRR-ave state, and one sample per transition in sync pacing —
 * so a change of a product default does not silently change what a test checks.
 */
public final class TestSettings {
    private TestSettings() {}

    public static ActorSettings.Builder actor() {
        return StageSettings.actor(StreamrecConfig.defaults()).toBuilder().stateRepresentation(StateRepresentation.AVE);
    }

    public static LearnerSettings learner() {
        LearnerSettings s = StageSettings.learner(StreamrecConfig.defaults());
        s.replayRatio = 1;
        s.pacing = Pacing.SYNC;
        return s;
    }
}
