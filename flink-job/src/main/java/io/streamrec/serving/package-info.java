/**
 * Serving the DRR actor with DJL/PyTorch inside Flink; the model itself is {@link io.streamrec.model}.
 *
 * <ul>
 *   <li>{@link io.streamrec.serving.ServingModel} holds one version of the model's
 *       {@link io.streamrec.model.DrrActorBlock} on the device; {@link io.streamrec.serving.ActorScorer} (one per
 *       thread) scores micro-batches; {@link io.streamrec.model.TopK} picks the slates.</li>
 *   <li>{@link io.streamrec.serving.ActorScoringFunction} is the Flink async operator: one inference thread per
 *       subtask, micro-batching, in-order completion, hot weight swaps; {@link io.streamrec.weights.WeightsFollower}
 *       follows the actor-weights topic.</li>
 * </ul>
 */
package io.streamrec.serving;
