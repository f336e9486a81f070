/**
 * The DRR model, below serving and learning: one definition both build from.
 *
 * <ul>
 *   <li>{@link io.streamrec.model.DrrActorBlock} = a state block ({@link io.streamrec.model.DrrAveStateBlock},
 *       {@link io.streamrec.model.DrrPStateBlock} or {@link io.streamrec.model.DrrUStateBlock}) →
 *       {@link io.streamrec.model.ActorMlpBlock} → {@link io.streamrec.model.ItemScoringBlock};
 *       {@link io.streamrec.model.CriticBlock} Q(s, a). Plain DJL blocks: serving runs the actor through a Predictor,
 *       the learner trains the same blocks under a GradientCollector.</li>
 *   <li>{@link io.streamrec.model.ActorWeights} is the engine-independent, immutable model data of one version;
 *       {@link io.streamrec.model.ActorWeightsDelta} a change between versions; {@link io.streamrec.model.ActorWeightsCodec}
 *       their actor-weights JSON; {@link io.streamrec.model.ModelShape} the sizes and seed that define a model.</li>
 * </ul>
 */
package io.streamrec.model;
