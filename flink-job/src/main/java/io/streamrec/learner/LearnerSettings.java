package io.streamrec.learner;

import java.io.Serializable;

/**
 * Hyper-parameters of the online DRR learner. Mutable for building; {@link #validate()} before use. Their defaults
 * are the configuration keys' (declared once, in {@code ConfigKey}; the DRR paper and its public code
 * where they say something — γ=0.9, τ=0.01, batch 64, actor lr 1e-4, critic lr 1e-3 — and common PER practice
 * otherwise), mapped by {@code StageSettings.learner}; only the constants nobody configures are set here.
 */
public final class LearnerSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Discount γ. */
    public float gamma;
    /** Soft target update rate τ. */
    public float tau;

    public float actorLr;
    public float criticLr;
    /** Adam learning rate of the user/item embedding rows and of the DRR-ave pooling weights. */
    public float embeddingLr;
    /** B: transitions per training batch. */
    public int batchSize;
    /**
     * Replay ratio R: samples trained per new transition (one step of B samples each time R·transitions reaches
     * another B). 2 at B = 64 (the default): one step per 32 transitions (8 diverged on ml-100k, see docs/evaluation.md).
     */
    public double replayRatio;
    /** How the ratio is kept: {@link Pacing#SYNC} exactly (backpressure), {@link Pacing#LIVE} within a time budget. */
    public Pacing pacing;
    /** Training starts once the buffer holds this many transitions (at least B; StageSettings sets B). */
    public int warmup;

    public int bufferCapacity;
    /** PER priority exponent α. */
    public double alpha;
    /** PER importance-sampling exponent at the start, annealed linearly to 1. */
    public double beta0;
    /** Samples over which β reaches 1. */
    public long betaSteps;

    public double priorityEps = 1e-6;
    /** Global L2-norm clip of each network's gradient (0 = off). */
    public float gradClip = 10f;
    /** Critic hidden width (the actor's comes from the actor weights). */
    public int criticHiddenDim;

    public long seed;
    /** λ of the supervised item-level term (the user's next positive items under a·e); 0 = pure actor-critic. */
    public float auxWeight;
    /** The supervised term's form: a softmax over the candidates (default) or the logistic loss on sampled pairs. */
    public AuxLoss auxLoss;
    /**
     * Logistic: random negative items per positive. Softmax: uniformly sampled negatives shared by the batch
     * (0 = the whole catalogue; uniform sampling needs no logQ correction).
     */
    public int auxNegatives;
    /**
     * Weight of the j-th (0-based, in rating order) next positive item in the supervised term: auxDiscount^j. 1 = all
     * items of the horizon alike; below 1 the next items count most (the user's near future is the most predictable).
     */
    public float auxDiscount;
    /** The supervised term uses only the first this-many next positive items of the horizon (0 = all of them). */
    public int auxPositives;
    /**
     * The supervised term's targets are only the horizon positives the served slate contained: the learner sees the
     * consequences of its own slates and nothing else the user did (see {@link Experience#of}).
     */
    public boolean auxSlateHitsOnly;
    /**
     * Whether the critic loss trains the state representation (pooling weights, user and item rows) too, as in DRR.
     * Off, the representation is trained by the supervised term only and the critic reads it detached.
     */
    public boolean criticTrainsState;
    /**
     * α of the actor's Q term, normalised as in TD3+BC (Fujimoto &amp; Gu 2021): the actor minimises
     * {@code −α·mean(w·Q)/mean|Q|} (the denominator detached) beside the supervised term, so the critic's scale — which
     * grows with the reward horizon — cannot swamp it. 0 = no Q term (supervised only; the default: α 2.5 measured
     * +1.8 % on ml-100k but −3.1 % on ml-latest-small and −3.9 % on the simulator over five seeds, see
     * docs/evaluation.md); negative = the raw −mean(w·Q) of DDPG/DRR.
     */
    public float qWeight;
    /**
     * The item-level critic: Q(s, e_i) of each served slate item i, its reward 1 when the user rated i positively
     * within the horizon, its target {@code r_i + γ(1−done)·V'(s')} with {@code V(s) = Σ_c π(c|s)·Q(s, e_c)} over the
     * row's candidate items c under the actor's softmax {@code π = softmax(μ(s)·e_c)}; the actor maximises V(s̄). The
     * critic sees what was served and the policy gradient reaches the item rows the ranking uses. Off: DRR's Q(s, a).
     */
    public boolean itemCritic;
    /**
     * Item critic: besides the served slate, the critic also scores the row's other horizon positives (reward 1, at
     * most {@link #FULL_FEEDBACK_POSITIVES}) and as many uniformly sampled items (reward 1 if a horizon positive): a
     * replay knows every item's outcome. Off, it learns from the served slate's outcomes only (bandit feedback).
     */
    public boolean criticFullFeedback;

    public static final int FULL_FEEDBACK_POSITIVES = 10;
    /** The critic adds a bilinear term (M·s)·a to its MLP (see {@code CriticBlock}). */
    public boolean criticMatch;
    /** Item critic: candidate items per row (the served slate first, then items of the batch's windows). */
    public int criticCandidates = 32;
    /** TD3's clipped double-Q: two critics, the target is the smaller of their target values. */
    public boolean twinCritics;
    /** TD3's target policy smoothing: σ of the Gaussian noise on μ'(s') (clipped at 2σ; 0 = off). */
    public float targetNoise;
    /** TD3's delayed policy updates: the actor's Q term (and nothing else) every this-many steps. */
    public int policyDelay;
    /** Q targets clipped to [min r, max r] / (1 − γ) of the rewards observed so far (no value beyond what is possible). */
    public boolean boundedTargets;

    /** The supervised term's loss. */
    public enum AuxLoss {
        SOFTMAX,
        LOGISTIC;

        public static AuxLoss of(String key) {
            return valueOf(key.trim().toUpperCase(java.util.Locale.ROOT));
        }

        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public LearnerSettings() {}

    public LearnerSettings copy() {
        LearnerSettings s = new LearnerSettings();
        s.gamma = gamma;
        s.tau = tau;
        s.actorLr = actorLr;
        s.criticLr = criticLr;
        s.embeddingLr = embeddingLr;
        s.batchSize = batchSize;
        s.replayRatio = replayRatio;
        s.pacing = pacing;
        s.warmup = warmup;
        s.bufferCapacity = bufferCapacity;
        s.alpha = alpha;
        s.beta0 = beta0;
        s.betaSteps = betaSteps;
        s.priorityEps = priorityEps;
        s.gradClip = gradClip;
        s.criticHiddenDim = criticHiddenDim;
        s.seed = seed;
        s.auxWeight = auxWeight;
        s.auxNegatives = auxNegatives;
        s.auxLoss = auxLoss;
        s.auxDiscount = auxDiscount;
        s.auxPositives = auxPositives;
        s.auxSlateHitsOnly = auxSlateHitsOnly;
        s.twinCritics = twinCritics;
        s.qWeight = qWeight;
        s.criticTrainsState = criticTrainsState;
        s.itemCritic = itemCritic;
        s.criticCandidates = criticCandidates;
        s.criticFullFeedback = criticFullFeedback;
        s.criticMatch = criticMatch;
        s.targetNoise = targetNoise;
        s.policyDelay = policyDelay;
        s.boundedTargets = boundedTargets;
        return s;
    }

    public LearnerSettings validate() {
        require(gamma >= 0 && gamma < 1, "gamma must be in [0,1)");
        require(tau > 0 && tau <= 1, "tau must be in (0,1]");
        require(actorLr > 0 && criticLr > 0 && embeddingLr >= 0, "learning rates must be > 0");
        require(batchSize >= 1, "batch size must be >= 1");
        require(replayRatio > 0 && Double.isFinite(replayRatio), "replay ratio must be > 0");
        require(pacing != null, "pacing must be set");
        require(bufferCapacity >= batchSize, "buffer capacity must be >= batch size");
        require(criticHiddenDim >= 1, "critic hidden dim must be >= 1");
        require(gradClip >= 0, "grad clip must be >= 0");
        require(auxWeight >= 0 && auxNegatives >= 0, "aux weight and negatives must be >= 0");
        require(auxLoss != null, "aux loss must be set");
        require(
                auxLoss != AuxLoss.LOGISTIC || auxWeight == 0 || auxNegatives > 0,
                "the logistic supervised term needs negatives (learner.aux.negatives > 0, e.g. 4)");
        require(auxDiscount > 0 && auxDiscount <= 1, "aux discount must be in (0,1]");
        require(auxPositives >= 0, "aux positives must be >= 0");
        require(targetNoise >= 0 && Float.isFinite(targetNoise), "target noise must be >= 0");
        require(criticCandidates >= 1, "critic candidates must be >= 1");
        require(policyDelay >= 1, "policy delay must be >= 1");
        require(Float.isFinite(qWeight), "q weight must be finite");
        return this;
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }

    @Override
    public String toString() {
        return "LearnerSettings{gamma=" + gamma + ", tau=" + tau + ", lr=" + actorLr + "/" + criticLr + "/"
                + embeddingLr
                + ", B=" + batchSize + ", replayRatio=" + replayRatio + ", pacing=" + pacing.key() + ", buffer="
                + bufferCapacity + ", alpha=" + alpha
                + ", beta0=" + beta0 + ", aux=" + auxLoss.key() + "x" + auxWeight + "/" + auxNegatives + "/"
                + auxDiscount + "/" + auxPositives + (auxSlateHitsOnly ? "/slate-hits" : "") + ", critic="
                + (itemCritic
                        ? "item/" + criticCandidates + (criticFullFeedback ? "/full" : "/slate")
                                + (criticMatch ? "/match" : "")
                        : "action")
                + ", twin=" + twinCritics
                + ", targetNoise=" + targetNoise + ", policyDelay=" + policyDelay + ", bounded=" + boundedTargets
                + ", seed=" + seed + '}';
    }
}
