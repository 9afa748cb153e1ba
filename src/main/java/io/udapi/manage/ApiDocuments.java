package io.udapi.manage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.udapi.definition.ApiDefinition;
import io.udapi.problem.ProblemException;
import io.udapi.problem.Problems;
import io.udapi.registry.Registry;
import io.udapi.script.ScriptEngine;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;

/** Documents of the user-defined APIs: the OpenAPI document of docs/management-api.md, of all of them or of one token's. */
@ApplicationScoped
public class ApiDocuments {
    private final Registry registry;
    private final ScriptEngine engine;

    ApiDocuments(Registry registry, ScriptEngine engine) {
        this.registry = registry;
        this.engine = engine;
    }

    /**
     * @param tokenId null for every definition; else only those that token may call (404 for an unknown
     *                token, so that a mistyped id is not mistaken for a token that may call nothing)
     */
    public ObjectNode openApi(String tokenId) {
        Collection<ApiDefinition> definitions = registry.definitions().all();
        String title = "udapi APIs";
        if (tokenId != null) {
            String name = registry.token(tokenId).orElseThrow(() -> new ProblemException(Problems.notFound("token", tokenId))).name();
            definitions = definitions.stream().filter(d -> d.allowedTokens().contains(tokenId)).toList();
            title = "udapi APIs of token " + name;
        }
        return OpenApiDocument.build(List.copyOf(definitions), engine::declaredParameters, title);
    }
}
