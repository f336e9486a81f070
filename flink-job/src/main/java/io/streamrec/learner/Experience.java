package io.streamrec.learner;

import java.io.Serializable;

/**
 * One replayed transition as the learner stores it: the state (user id + positive window, oldest first) before the
 * slate, the action vector the actor emitted (after exploration noise), the reward, the next state and whether the
 * episode (session) ended.
 */
public record Experience(int userId, int[] window, float[] action, float reward, int[] nextWindow, boolean done)
        implements Serializable {
    public Experience {
        window = window == null ? new int[0] : window.clone();
        nextWindow = nextWindow == null ? new int[0] : nextWindow.clone();
        if (action == null) throw new IllegalArgumentException("action missing");
        action = action.clone();
    }
}
