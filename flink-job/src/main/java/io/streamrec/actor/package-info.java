/**
 * Serving the DRR actor with DJL/PyTorch inside Flink; the model itself is {@link io.streamrec.model}.
 *
 * <ul>
 *   <li>{@link io.streamrec.actor.ServingModel} holds one version of the model's
 *       {@link io.streamrec.model.DrrActorBlock} on the device; {@link io.streamrec.actor.ActorScorer} (one per
 *       thread) scores micro-batches; {@link io.streamrec.actor.TopK} picks the slates.</li>
 *   <li>{@link io.streamrec.actor.ActorScoringFunction} is the Flink async operator: one inference thread per
 *       subtask, micro-batching, in-order completion, hot weight swaps; {@link io.streamrec.actor.WeightsFollower}
 *       follows the actor-weights topic.</li>
 * </ul>
 */
package io.streamrec.actor;
