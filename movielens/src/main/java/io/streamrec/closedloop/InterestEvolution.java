package io.streamrec.closedloop;

import java.util.SplittableRandom;

/**
 * RecSim's interest-evolution environment (Ie et al. 2019; google-research/recsim,
 * {@code recsim/environments/interest_evolution.py} with {@code choice_model.py}), with its published defaults, as
 * plain Java: videos with one topic and a quality drawn around the topic's mean, users with an interest per topic, a
 * proportional choice with a no-click option, interests that move on consumption, and a time budget that watching
 * spends and good videos refill. A session ends when the budget is spent; its return is the total watch time. What a
 * myopic click-maximiser does to the budget is what makes long-term value matter.
 *
 * <p>Each parameter is RecSim's ({@link Parameters#recsim()}, the source line in its comment); nothing is tuned to a
 * policy. Deterministic for a seed; not thread-safe.
 */
public final class InterestEvolution {
    /**
     * The environment's constants.
     *
     * @param topics           number of topics (IEvVideo.NUM_FEATURES = 20; IEvUserState.NUM_FEATURES = 20)
     * @param trashyTopics     topics with a low-quality mean (int(20 · 0.7) = 14, UtilityModelVideoSampler)
     * @param trashyMin        lowest trashy mean (linspace(-3.0, 0, 14)); the trashy means end at 0
     * @param nutritiousMax    highest nutritious mean (linspace(0, 3.0, 6))
     * @param qualityStd       spread of a video's quality around its topic's mean (rng.normal(mean, 0.1))
     * @param videoLength      every video's length (video_length = 4.0)
     * @param timeBudget       a user's initial time budget (time_budget = 200.0, UtilityModelUserSampler)
     * @param stepPenalty      budget spent by a step without a click (step_penalty = 0.5)
     * @param noClickMass      score of the no-click option (no_click_mass = 1.0)
     * @param minNormalizer    subtracted from every score before the proportional choice (min_normalizer = -1.0)
     * @param userUpdateAlpha  budget refill per unit of watch time and quality (alpha 0.9 × utility_range 1 / 3.4)
     * @param interestStep     largest interest move on a click (compute_alpha's y_int = 0.3 at x_int = 1.0)
     * @param candidates       videos sampled per step, all new each step (num_candidates 5, resample_documents True)
     * @param slateSize        videos shown per step (slate_size 2)
     */
    public record Parameters(
            int topics,
            int trashyTopics,
            double trashyMin,
            double nutritiousMax,
            double qualityStd,
            double videoLength,
            double timeBudget,
            double stepPenalty,
            double noClickMass,
            double minNormalizer,
            double userUpdateAlpha,
            double interestStep,
            int candidates,
            int slateSize) {
        public Parameters {
            if (topics < 2 || trashyTopics < 1 || trashyTopics >= topics)
                throw new IllegalArgumentException("need trashy and nutritious topics");
            if (slateSize < 1 || slateSize > candidates)
                throw new IllegalArgumentException("slate size must be in [1, candidates]");
            if (timeBudget <= 0 || videoLength <= 0 || stepPenalty <= 0)
                throw new IllegalArgumentException("budget, length and penalty must be > 0");
        }

        /** RecSim's interest-evolution defaults, with its example's 5 candidates and slates of 2 (recsim/main.py). */
        public static Parameters recsim() {
            return new Parameters(20, 14, -3.0, 3.0, 0.1, 4.0, 200.0, 0.5, 1.0, -1.0, 0.9 / 3.4, 0.3, 5, 2);
        }

        /** The same world with another candidate set and slate size (streamrec's larger-catalogue runs). */
        public Parameters withSlate(int candidates, int slateSize) {
            return new Parameters(
                    topics,
                    trashyTopics,
                    trashyMin,
                    nutritiousMax,
                    qualityStd,
                    videoLength,
                    timeBudget,
                    stepPenalty,
                    noClickMass,
                    minNormalizer,
                    userUpdateAlpha,
                    interestStep,
                    candidates,
                    slateSize);
        }

        /** The mean quality of a topic: trashy topics evenly over [trashyMin, 0], nutritious over [0, nutritiousMax]. */
        public double topicMean(int topic) {
            int nutritious = topics - trashyTopics;
            if (topic < trashyTopics) return trashyMin - trashyMin * topic / (trashyTopics - 1);
            return nutritiousMax * (topic - trashyTopics) / Math.max(1, nutritious - 1);
        }
    }

    /** A video: its topic, its quality and its length. */
    public record Video(int id, int topic, double quality, double length) {}

    /** What a user did with one slate: the position clicked (−1: none) and the time watched. */
    public record Response(int clicked, double watchTime) {}

    private final Parameters p;
    private final SplittableRandom rng;
    private int nextVideo;

    public InterestEvolution(Parameters parameters, long seed) {
        this.p = parameters;
        this.rng = new SplittableRandom(seed);
    }

    public Parameters parameters() {
        return p;
    }

    /** A new video (UtilityModelVideoSampler: a uniform topic, quality ~ N(topic mean, σ), the fixed length). */
    public Video sampleVideo() {
        int topic = rng.nextInt(p.topics());
        return new Video(nextVideo++, topic, p.topicMean(topic) + p.qualityStd() * rng.nextGaussian(), p.videoLength());
    }

    /** This step's candidates: all new (resample_documents). */
    public Video[] candidates() {
        Video[] out = new Video[p.candidates()];
        for (int i = 0; i < out.length; i++) out[i] = sampleVideo();
        return out;
    }

    /** A new user (UtilityModelUserSampler): interests uniform in [−1, 1] per topic, the full time budget. */
    public User newUser() {
        double[] interests = new double[p.topics()];
        for (int t = 0; t < interests.length; t++) interests[t] = rng.nextDouble(-1.0, 1.0);
        return new User(interests, p.timeBudget(), rng.split());
    }

    /** One user's state (IEvUserState) and step (IEvUserModel.update_state with the proportional choice). */
    public final class User {
        private final double[] interests;
        private final SplittableRandom rng;
        private double budget;

        private User(double[] interests, double budget, SplittableRandom rng) {
            this.interests = interests;
            this.budget = budget;
            this.rng = rng;
        }

        /** The interest in a topic, in [−1, 1] (the score of a video of that topic: features are one-hot). */
        public double interest(int topic) {
            return interests[topic];
        }

        public double budget() {
            return budget;
        }

        /**
         * Starts the user's next session: the full time budget again, the interests as the last session left them
         * (RecSim has one session per user; streamrec's users return, so what a policy did to their interests lasts).
         */
        public void newSession() {
            budget = p.timeBudget();
        }

        /**
         * The quality-aware oracle's score of a video (it knows the hidden state): the expected watch time per unit of
         * budget spent were the video shown alone — a click watches {@code length} and costs
         * {@code length·(1 − α·quality)}, no click costs the step penalty. Clicks that refill the budget pay twice.
         */
        public double watchPerBudget(Video v) {
            double click = choiceProbabilities(new Video[] {v})[0];
            double cost = click * v.length() * (1 - p.userUpdateAlpha() * v.quality()) + (1 - click) * p.stepPenalty();
            return click * v.length() / Math.max(1e-9, cost);
        }

        /** Whether the session is over (is_terminal: time_budget ≤ 0). */
        public boolean done() {
            return budget <= 0;
        }

        /**
         * The probability of clicking each slate position, the no-click option last: scores and no-click mass less the
         * normaliser, in proportion (MultinomialProportionalChoiceModel).
         */
        public double[] choiceProbabilities(Video[] slate) {
            double[] w = new double[slate.length + 1];
            double sum = 0;
            for (int i = 0; i < slate.length; i++) sum += w[i] = interests[slate[i].topic()] - p.minNormalizer();
            sum += w[slate.length] = p.noClickMass() - p.minNormalizer();
            for (int i = 0; i < w.length; i++) w[i] /= sum;
            return w;
        }

        /**
         * Shows a slate: the user clicks one video or none; a click watches min(budget, length), moves the topic's
         * interest (towards or away, see below) and refills the budget by α · watch time · quality; no click costs
         * the step penalty.
         */
        public Response respond(Video[] slate) {
            if (done()) throw new IllegalStateException("the session is over");
            if (slate.length == 0 || slate.length > p.slateSize())
                throw new IllegalArgumentException("a slate holds 1.." + p.slateSize() + " videos");
            double[] probs = choiceProbabilities(slate);
            double u = rng.nextDouble();
            int clicked = -1;
            for (int i = 0; i < slate.length && clicked < 0; i++) {
                u -= probs[i];
                if (u < 0) clicked = i;
            }
            if (clicked < 0) {
                budget -= p.stepPenalty();
                return new Response(-1, 0);
            }
            Video v = slate[clicked];
            // Interest: x ± α(x)·(1 − x) with α(x) = 0.3 − 0.3|x|, "+" with probability (x + 1)/2, clipped to [−1, 1].
            int t = v.topic();
            double x = interests[t];
            double step = (p.interestStep() - p.interestStep() * Math.abs(x)) * (1.0 - x);
            interests[t] = Math.max(-1, Math.min(1, rng.nextDouble() < (x + 1) / 2 ? x + step : x - step));
            double watch = Math.min(budget, v.length());
            budget -= watch;
            budget += p.userUpdateAlpha() * watch * v.quality();
            return new Response(clicked, watch);
        }
    }
}
