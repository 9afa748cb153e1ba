package io.udapi.config;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** This instance's name in error bodies ({@code faultingNode}) and script context ({@code nodeId}). */
@ApplicationScoped
public class NodeIdentity {

    private final String id;

    NodeIdentity(UdapiConfig config) {
        this.id = config.nodeId().filter(s -> !s.isBlank()).orElseGet(NodeIdentity::hostName);
    }

    public String id() {
        return id;
    }

    private static String hostName() {
        String fromEnv = System.getenv("HOSTNAME");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "udapi";
        }
    }
}
