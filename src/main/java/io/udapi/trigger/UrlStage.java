package io.udapi.trigger;

import io.udapi.route.RequestPath;

/**
 * URL: a route after {@code /api/custom/} (400/1), and the raw path and query within their limits in UTF-8
 * bytes (414/1011). Adds the split, normalised {@link RequestPath} to the context.
 */
final class UrlStage implements Stage {

    private final int maxUrlLength;
    private final int maxQueryLength;

    UrlStage(int maxUrlLength, int maxQueryLength) {
        this.maxUrlLength = maxUrlLength;
        this.maxQueryLength = maxQueryLength;
    }

    @Override
    public Name name() {
        return Name.URL;
    }

    @Override
    public Outcome apply(TriggerContext ctx) {
        TriggerRequest request = ctx.request();
        RequestPath path = RequestPath.of(request.suffix());
        if (path.isEmpty()) {
            return ctx.reject(Rejection.EMPTY_ROUTE);
        }
        int pathBytes = utf8Length(request.rawPath());
        String query = request.query();
        int queryBytes = query == null ? 0 : utf8Length(query);
        if (pathBytes > maxUrlLength) {
            return ctx.reject(Rejection.URI_TOO_LONG,
                    "The path has " + pathBytes + " bytes; at most " + maxUrlLength + " are allowed.");
        }
        if (queryBytes > maxQueryLength) {
            return ctx.reject(Rejection.URI_TOO_LONG,
                    "The query string has " + queryBytes + " bytes; at most " + maxQueryLength + " are allowed.");
        }
        return ctx.withPath(path);
    }

    /** What {@code s.getBytes(UTF_8).length} answers (an unpaired surrogate becomes one {@code ?}), without the copy. */
    static int utf8Length(String s) {
        int length = s.length();
        int bytes = length;
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                continue;
            }
            if (c < 0x800) {
                bytes += 1;
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 2; // 4 bytes for the 2 chars of the pair
                i++;
            } else if (Character.isSurrogate(c)) {
                // unpaired: encoded as '?', one byte
            } else {
                bytes += 2;
            }
        }
        return bytes;
    }
}
