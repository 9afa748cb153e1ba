package io.udapi.manage;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.udapi.definition.ActionType;
import io.udapi.definition.ApiDefinition;
import io.udapi.definition.InputType;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A definition as the management API shows it; {@code allowedTokens} sorted for stable output. */
@Schema(name = "Definition", description = "A user-defined API: called as /api/custom/<route>.",
        requiredProperties = {"id", "name", "description", "route", "allowedTokens", "actionType", "actionMeta",
                "createdBy", "createdAt", "lastModifiedBy", "lastModified", "version"})
public record DefinitionView(String id, @Schema(nullable = true) String name, @Schema(nullable = true) String description, String route, List<String> allowedTokens,
                             ActionType actionType, ActionMetaView actionMeta,
                             String createdBy, Instant createdAt, String lastModifiedBy, Instant lastModified,
                             long version) {

    /** {@code inputType} appears only for {@code AutomationScript}. */
    @Schema(name = "ActionMeta", requiredProperties = "scriptName")
    public record ActionMetaView(String scriptName, @JsonInclude(JsonInclude.Include.NON_NULL) InputType inputType) {
    }

    static DefinitionView of(ApiDefinition d) {
        return new DefinitionView(d.id(), d.name(), d.description(), d.route(),
                d.allowedTokens().stream().sorted().toList(), d.actionType(),
                new ActionMetaView(d.actionMeta().scriptName(), d.actionMeta().inputType()),
                d.stamp().createdBy(), d.stamp().createdAt(), d.stamp().lastModifiedBy(), d.stamp().lastModified(),
                d.version());
    }
}
