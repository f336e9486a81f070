package io.streamrec.eval.flink;

import io.streamrec.operators.EventTimeOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The evaluator's input at one event time in a deterministic replay, in the order the prequential harness feeds it: by
 * user id; within a user, each event (in arrival order) followed by the slates made for it, by policy name. A slate
 * whose event is not at this time (none in a replay) follows its user's events.
 */
enum EvalOrder implements EventTimeOrder.SameTime<EvalInput> {
    INSTANCE;

    @Override
    public List<EvalInput> order(List<EvalInput> arrived) {
        TreeMap<Integer, List<EvalInput>> byUser = new TreeMap<>();
        for (EvalInput in : arrived)
            byUser.computeIfAbsent(in.userId, u -> new ArrayList<>()).add(in);
        List<EvalInput> out = new ArrayList<>(arrived.size());
        Comparator<EvalInput> slateOrder =
                Comparator.comparing((EvalInput s) -> s.requestId).thenComparing(s -> s.policy);
        for (List<EvalInput> user : byUser.values()) {
            Map<String, List<EvalInput>> slates = new LinkedHashMap<>();
            for (EvalInput in : user) {
                if (!in.isEvent())
                    slates.computeIfAbsent(in.requestId, r -> new ArrayList<>()).add(in);
            }
            for (EvalInput in : user) {
                if (!in.isEvent()) continue;
                out.add(in);
                List<EvalInput> own = slates.remove(in.requestId);
                if (own != null) {
                    own.sort(slateOrder);
                    out.addAll(own);
                }
            }
            List<EvalInput> rest = new ArrayList<>();
            slates.values().forEach(rest::addAll);
            rest.sort(slateOrder);
            out.addAll(rest);
        }
        return out;
    }
}
