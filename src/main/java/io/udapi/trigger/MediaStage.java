package io.udapi.trigger;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.util.Locale;
import java.util.Set;

/**
 * Media: the {@code Content-Type} is one of the four accepted, or absent with an empty body (415/1003). A body
 * is announced by a {@code Transfer-Encoding} or a {@code Content-Length} other than 0.
 */
final class MediaStage implements Stage {

    private static final Set<String> MEDIA_TYPES = Set.of("application/json", "application/xml", "text/xml", "text/plain");

    @Override
    public Name name() {
        return Name.MEDIA;
    }

    @Override
    public Outcome apply(TriggerContext ctx) {
        HttpServerRequest request = ctx.request().http();
        String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
        String contentLength = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        boolean mayHaveBody = request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null
                || (contentLength != null && !contentLength.trim().equals("0"));
        boolean refused = contentType != null ? !MEDIA_TYPES.contains(mediaType(contentType)) : mayHaveBody;
        return refused ? ctx.reject(Rejection.UNSUPPORTED_MEDIA_TYPE) : ctx.next();
    }

    private static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }
}
