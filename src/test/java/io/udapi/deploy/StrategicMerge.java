package io.udapi.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * The part of Kubernetes' strategic merge patch that a sidecar patch relies on: maps merge
 * recursively, the pod's lists merge by their patch merge key (containers, volumes and env by
 * {@code name}, volumeMounts by {@code mountPath}, ports by {@code containerPort}), any other value is
 * replaced. New list items are prepended, as kustomize does. No {@code $patch} directives.
 */
final class StrategicMerge {

    private static final Map<String, String> MERGE_KEYS = Map.of(
            "containers", "name",
            "initContainers", "name",
            "volumes", "name",
            "env", "name",
            "imagePullSecrets", "name",
            "volumeMounts", "mountPath",
            "ports", "containerPort",
            "tolerations", "key");

    private StrategicMerge() {
    }

    static JsonNode apply(JsonNode base, JsonNode patch) {
        JsonNode result = base.deepCopy();
        mergeObject((ObjectNode) result, (ObjectNode) patch);
        return result;
    }

    private static void mergeObject(ObjectNode target, ObjectNode patch) {
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String field = e.getKey();
            JsonNode value = e.getValue();
            JsonNode existing = target.get(field);
            if (value.isNull()) {
                target.remove(field);
            } else if (existing != null && existing.isObject() && value.isObject()) {
                mergeObject((ObjectNode) existing, (ObjectNode) value);
            } else if (existing != null && existing.isArray() && value.isArray() && MERGE_KEYS.containsKey(field)) {
                target.set(field, mergeList((ArrayNode) existing, (ArrayNode) value, MERGE_KEYS.get(field)));
            } else {
                target.set(field, value.deepCopy());
            }
        }
    }

    private static ArrayNode mergeList(ArrayNode base, ArrayNode patch, String key) {
        ArrayNode merged = base.deepCopy();
        ArrayNode added = base.arrayNode();
        for (JsonNode item : patch) {
            ObjectNode match = null;
            for (JsonNode candidate : merged) {
                if (candidate.path(key).equals(item.path(key))) {
                    match = (ObjectNode) candidate;
                }
            }
            if (match != null) {
                mergeObject(match, (ObjectNode) item);
            } else {
                added.add(item.deepCopy());
            }
        }
        added.addAll(merged);
        return added;
    }
}
