package io.udapi.manage;

import io.udapi.definition.ActionType;
import io.udapi.definition.InputType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The request and list bodies of {@code /admin/v1/definitions} as the management API's OpenAPI document shows
 * them (docs/management-api.md). Documentation only, like {@link TokenSchemas}.
 */
final class DefinitionSchemas {

    private DefinitionSchemas() {
    }

    @Schema(name = "ActionMetaBody")
    record ActionMeta(
            @Schema(description = "1 to 128 characters from A-Z a-z 0-9 . _ -, not starting with a dot.",
                    pattern = "^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$") String scriptName,
            @Schema(description = "Only for AutomationScript; default RawBody.") InputType inputType) {
    }

    @Schema(name = "DefinitionWrite", description = "A new definition (route and actionMeta.scriptName required), or a "
            + "JSON merge patch of one (only the fields given change).")
    record Write(
            @Schema(description = "Optional; not whitespace only, at most 100 characters.", maxLength = 100, nullable = true)
            String name,
            @Schema(description = "Optional; at most 2000 characters.", maxLength = 2000, nullable = true) String description,
            @Schema(description = "The URL suffix after /api/custom/, e.g. tickets/{id}/status: no leading or trailing "
                    + "slash, at most 200 characters; {name} placeholders fill whole segments.", maxLength = 200) String route,
            @Schema(description = "Ids of the tokens that may call it; empty: nobody.") List<String> allowedTokens,
            @Schema(description = "Default AutomationScript.") ActionType actionType,
            ActionMeta actionMeta) {
    }

    @Schema(name = "DefinitionList", requiredProperties = {"items", "total"})
    record DefinitionList(List<DefinitionView> items, @Schema(description = "How many definitions match, over every page.") long total) {
    }
}
