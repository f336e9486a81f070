/**
 * The DRR actor (Liu et al. 2018, DRR-ave state) served with DJL/PyTorch inside Flink.
 *
 * <ul>
 *   <li>{@link io.streamrec.model.ActorWeights} is the engine-independent, immutable source of truth of one weights
 *       version; {@link io.streamrec.model.ActorWeightsDelta} a change between versions;
 *       {@link io.streamrec.model.ActorWeightsCodec} their actor-weights JSON.</li>
 *   <li>{@link io.streamrec.model.DrrActorBlock} = {@link io.streamrec.model.DrrAveStateBlock} (or DRR-p / DRR-u) →
 *       {@link io.streamrec.model.ActorMlpBlock} → {@link io.streamrec.model.ItemScoringBlock}, plain DJL blocks with
 *       real parameters (trainable under a GradientCollector).</li>
 *   <li>{@link io.streamrec.actor.ServingModel} holds one version on the device;
 *       {@link io.streamrec.actor.ActorScorer} (one per thread) scores micro-batches; {@link io.streamrec.actor.TopK}
 *       picks the slates.</li>
 *   <li>{@link io.streamrec.actor.ActorScoringFunction} is the Flink async operator: one inference thread per
 *       subtask, micro-batching, in-order completion, hot weight swaps.</li>
 * </ul>
 */
package io.streamrec.actor;

import io.streamrec.model.ActorWeightsCodec;
import io.streamrec.model.DrrAveStateBlock;
import io.streamrec.model.ActorMlpBlock;
import io.streamrec.model.ItemScoringBlock;
import io.streamrec.model.DrrActorBlock;
import io.streamrec.model.ActorWeights;
import io.streamrec.model.ActorWeightsDelta;
