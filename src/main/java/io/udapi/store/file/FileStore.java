package io.udapi.store.file;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.udapi.definition.ApiDefinition;
import io.udapi.store.Claims;
import io.udapi.store.EventLog;
import io.udapi.store.Repository;
import io.udapi.store.Store;
import io.udapi.store.UsageLog;
import io.udapi.token.ApiToken;
import io.udapi.user.AdminUser;
import java.nio.file.Path;

/**
 * The embedded store: one directory holding {@code tokens/}, {@code definitions/}, {@code users/}
 * (one JSON file per object), {@code events.jsonl} and {@code usage.json}. Meant for a single instance: a
 * second process on the same directory is refused ({@link DirectoryLock}).
 */
public final class FileStore implements Store {

    private final Repository<ApiToken> tokens;
    private final Repository<ApiDefinition> definitions;
    private final Repository<AdminUser> users;
    private final EventLog events;
    private final Claims claims = new FileClaims();
    private final UsageLog usage;

    /** @throws IllegalStateException when another process uses {@code dir} ({@link DirectoryLock}) */
    public FileStore(Path dir, ObjectMapper json) {
        DirectoryLock.acquire(dir);
        this.tokens = new FileRepository<>(dir.resolve("tokens"), ApiToken.class, json);
        this.definitions = new FileRepository<>(dir.resolve("definitions"), ApiDefinition.class, json);
        this.users = new FileRepository<>(dir.resolve("users"), AdminUser.class, json);
        this.events = new FileEventLog(dir.resolve("events.jsonl"), json);
        this.usage = new FileUsageLog(dir.resolve("usage.json"), json);
    }

    @Override
    public Repository<ApiToken> tokens() {
        return tokens;
    }

    @Override
    public Repository<ApiDefinition> definitions() {
        return definitions;
    }

    @Override
    public Repository<AdminUser> users() {
        return users;
    }

    @Override
    public EventLog events() {
        return events;
    }

    @Override
    public Claims claims() {
        return claims;
    }

    @Override
    public UsageLog usage() {
        return usage;
    }

    @Override
    public String kind() {
        return "file";
    }
}
