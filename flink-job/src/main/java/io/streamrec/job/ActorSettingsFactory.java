package io.streamrec.job;

import io.streamrec.actor.ActorSettings;
import io.streamrec.model.StateRepresentation;
import io.streamrec.config.StreamrecConfig;
import io.streamrec.config.StreamrecConfig.ConfigKey;

/** Maps the job configuration onto the actor's settings. */
public final class ActorSettingsFactory {
    private ActorSettingsFactory() {}

    public static ActorSettings from(StreamrecConfig c) {
        return ActorSettings.builder()
                .embeddingDim(c.getInt(ConfigKey.EMBEDDING_DIM))
                .hiddenDim(c.getInt(ConfigKey.HIDDEN_DIM))
                .windowSize(c.getInt(ConfigKey.WINDOW_SIZE))
                .k(c.getInt(ConfigKey.K))
                .batchSize(c.getInt(ConfigKey.BATCH_SIZE))
                .maxBatchWaitMicros(c.getLong(ConfigKey.BATCH_WAIT_MS) * 1000)
                .seed(c.getLong(ConfigKey.ACTOR_SEED))
                .engineThreads(c.getInt(ConfigKey.ENGINE_THREADS))
                .stateRepresentation(StateRepresentation.parse(c.get(ConfigKey.STATE_REPRESENTATION)))
                .policy("drr")
                .weightsFile(c.has(ConfigKey.ACTOR_WEIGHTS_FILE) ? c.get(ConfigKey.ACTOR_WEIGHTS_FILE) : null)
                .build();
    }
}
