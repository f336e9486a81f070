package io.streamrec.learner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrec.actor.ActorWeights;
import org.junit.jupiter.api.Test;

/** The PyTorch backend of {@link Mlp} against the Java reference: same outputs and gradients, same learner. */
class TorchMlpMathTest {
    /** Max |torch − java| over an array, relative to the largest |java| value (element-wise would divide by ~0). */
    private static void assertClose(float[] torch, float[] java, String what) {
        assertThat(torch).as(what).hasSameSizeAs(java);
        double scale = 0;
        double diff = 0;
        for (int i = 0; i < java.length; i++) {
            scale = Math.max(scale, Math.abs(java[i]));
            diff = Math.max(diff, Math.abs(torch[i] - java[i]));
        }
        assertThat(scale).as("%s is all zero: the comparison would be vacuous", what).isPositive();
        assertThat(diff / scale).as("%s: max relative difference", what).isLessThan(1e-4);
    }

    private static float[] gaussian(Rng rng, int n) {
        float[] x = new float[n];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
        return x;
    }

    /** Forward, parameter gradients (accumulated onto non-zero arrays) and the input gradient of both backends. */
    private static void assertBackendsAgree(int[] sizes, boolean tanh, int batch) {
        Rng rng = new Rng(11);
        Mlp java = Mlp.glorot(sizes, tanh, rng);
        Mlp torch = java.withBackend(MlpBackend.TORCH);
        assertThat(torch.backend()).isEqualTo(MlpBackend.TORCH);
        float[] x = gaussian(rng, batch * sizes[0]);
        float[] dOut = gaussian(rng, batch * sizes[sizes.length - 1]);

        Mlp.Cache javaCache = java.forward(x, batch);
        Mlp.Cache torchCache = torch.forward(x, batch);
        assertClose(torchCache.output(), javaCache.output(), "output");

        // Start from the same non-zero gradients: backward must add to them, not overwrite them.
        float[][] javaGrads = java.zeroGradients();
        float[][] torchGrads = torch.zeroGradients();
        for (int p = 0; p < javaGrads.length; p++) {
            javaGrads[p][0] = 0.5f;
            torchGrads[p][0] = 0.5f;
        }
        float[] javaDx = java.backward(javaCache, dOut, javaGrads);
        float[] torchDx = torch.backward(torchCache, dOut, torchGrads);
        assertClose(torchDx, javaDx, "input gradient");
        for (int p = 0; p < javaGrads.length; p++) assertClose(torchGrads[p], javaGrads[p], "gradient of parameter " + p);

        // Without parameter gradients (the actor loss through the critic) the input gradient is the same.
        assertClose(torch.backward(torchCache, dOut, null), javaDx, "input gradient without parameter gradients");
        // Neither backend touched the parameters.
        for (int p = 0; p < javaGrads.length; p++) assertThat(torch.parameters()[p]).isEqualTo(java.parameters()[p]);
    }

    @Test
    void actorShapedMlpMatchesTheJavaReference() {
        // DRR-ave state (3d, d = 100) → 256 → 256 → d, tanh output.
        assertBackendsAgree(new int[] {300, 256, 256, 100}, true, 16);
    }

    @Test
    void criticShapedMlpMatchesTheJavaReference() {
        // [s ⊕ a] (3d + d) → 256 → 256 → 1, linear output.
        assertBackendsAgree(new int[] {400, 256, 256, 1}, false, 16);
    }

    /** Every forward and backward closes what it allocated: the engine holds no more arrays after 50 of each. */
    @Test
    void callsLeaveNoNativeArraysBehind() {
        Rng rng = new Rng(5);
        Mlp torch = Mlp.glorot(new int[] {12, 16, 16, 3}, true, rng).withBackend(MlpBackend.TORCH);
        float[] x = gaussian(rng, 8 * 12);
        float[] dOut = gaussian(rng, 8 * 3);
        torch.backward(torch.forward(x, 8), dOut, torch.zeroGradients()); // loads the engine and its managers
        int before = liveArrays();
        for (int i = 0; i < 50; i++) {
            Mlp.Cache cache = torch.forward(x, 8);
            torch.backward(cache, dOut, torch.zeroGradients());
            torch.backward(cache, dOut, null);
        }
        assertThat(liveArrays()).isEqualTo(before);
    }

    /** Every array any DJL/PyTorch manager of this JVM still holds (all managers descend from the system one). */
    private static int liveArrays() {
        try (ai.djl.ndarray.NDManager probe = ai.djl.ndarray.NDManager.newBaseManager()) {
            return probe.getParentManager().getManagedArrays().size(); // a base manager's parent is the system manager
        }
    }

    @Test
    void nonFiniteValuesPropagateAsInJava() {
        Mlp torch = Mlp.glorot(new int[] {4, 8, 2}, false, new Rng(3)).withBackend(MlpBackend.TORCH);
        float[] x = {Float.NaN, 0f, 1f, 2f};
        // The learner's non-finite guard relies on a NaN input reaching the output (ReLU must not swallow it).
        for (float y : torch.forward(x, 1).output()) assertThat(y).isNaN();
    }

    @Test
    void backendIsKeptByCopiesAndSnapshots() {
        DrrLearner learner = new DrrLearner(DrrLearnerTest.settings(),
                ActorWeights.seeded(DrrLearnerTest.ACTOR, DrrLearnerTest.CATALOG));
        assertThat(learner.actor().backend()).isEqualTo(MlpBackend.TORCH); // the default
        assertThat(learner.critic().copy().backend()).isEqualTo(MlpBackend.TORCH);
        DrrLearner restored = DrrLearner.restore(learner.snapshot());
        assertThat(restored.critic().backend()).isEqualTo(MlpBackend.TORCH);
        restored.computeOn(MlpBackend.JAVA); // a restart configured with learner.backend=java
        assertThat(restored.actor().backend()).isEqualTo(MlpBackend.JAVA);
        assertThat(restored.critic().backend()).isEqualTo(MlpBackend.JAVA);
        assertThat(restored.settings().backend).isEqualTo(MlpBackend.JAVA);
        assertThat(DrrLearner.restore(restored.snapshot()).critic().backend()).isEqualTo(MlpBackend.JAVA);
        assertThat(MlpBackend.of(" Java ")).isEqualTo(MlpBackend.JAVA);
        assertThatThrownBy(() -> MlpBackend.of("cuda")).hasMessageContaining("torch or java");
    }

    /** The whole learner on either backend: same losses step by step (to float rounding) and nearly the same actor. */
    @Test
    void learnerTrainsTheSameOnBothBackends() {
        LearnerSettings javaSettings = DrrLearnerTest.settings();
        javaSettings.backend = MlpBackend.JAVA;
        LearnerSettings torchSettings = DrrLearnerTest.settings();
        torchSettings.backend = MlpBackend.TORCH;
        ActorWeights initial = ActorWeights.seeded(DrrLearnerTest.ACTOR, DrrLearnerTest.CATALOG);
        DrrLearner java = new DrrLearner(javaSettings, initial);
        DrrLearner torch = new DrrLearner(torchSettings, initial);
        for (int i = 0; i < 40; i++) {
            DrrLearner.StepResult rj = java.observe(DrrLearnerTest.experience(i));
            DrrLearner.StepResult rt = torch.observe(DrrLearnerTest.experience(i));
            assertThat(rt.trained()).isEqualTo(rj.trained());
            if (!rj.trained()) continue;
            assertThat(rt.criticLoss()).isCloseTo(rj.criticLoss(), org.assertj.core.data.Percentage.withPercentage(0.1));
            assertThat(rt.actorLoss()).isCloseTo(rj.actorLoss(), org.assertj.core.data.Percentage.withPercentage(0.1));
            assertThat(rt.auxLoss()).isCloseTo(rj.auxLoss(), org.assertj.core.data.Percentage.withPercentage(0.1));
        }
        assertThat(torch.steps()).isEqualTo(java.steps()).isPositive();
        float[][] pj = java.actor().parameters();
        float[][] pt = torch.actor().parameters();
        for (int p = 0; p < pj.length; p++) {
            for (int i = 0; i < pj[p].length; i++) {
                assertThat(pt[p][i]).as("actor parameter %d[%d]", p, i)
                        .isCloseTo(pj[p][i], org.assertj.core.data.Offset.offset(1e-4f));
            }
        }
    }
}
