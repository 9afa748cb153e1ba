package io.udapi.manage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AllowedHostsTest {

    private static final AllowedHosts DEFAULT = new AllowedHosts(List.of());
    private static final AllowedHosts LISTED = new AllowedHosts(List.of(" Admin.Example.com ", "*.corp.example", ""));

    @ParameterizedTest(name = "Host {0}: default {1}, listed {2}")
    @CsvSource(delimiter = '|', value = {
            "localhost:8080           | true  | true",
            "LOCALHOST                | true  | true",
            "console.localhost        | true  | true",
            "127.0.0.1:8080           | true  | true",
            "10.1.2.3                 | true  | true",
            "[::1]:8080               | true  | true",
            "[2001:db8::1]            | true  | true",
            "admin.example.com        | false | true",
            "ADMIN.EXAMPLE.COM.:443   | false | true",
            "x.corp.example           | false | true",
            "a.b.corp.example:8443    | false | true",
            "corp.example             | false | false",
            "evil-corp.example        | false | false",
            "attacker.example:8080    | false | false",
            "localhost.attacker.example | false | false",
            "127.0.0.1.nip.io         | false | false",
            "[::1                     | false | false",
            "[::1]x                   | false | false",
            "[attacker.example]       | false | false",
            "localhost:8080@attacker.example | false | false",
            "localhost:x              | false | false",
            "admin.example.com:99999999 | false | false",
            "''                       | false | false"})
    void aHostIsServedWhenItIsAnAddressLocalhostOrListed(String host, boolean byDefault, boolean whenListed) {
        assertEquals(byDefault, DEFAULT.allows(host), "default");
        assertEquals(whenListed, LISTED.allows(host), "listed");
    }

    @ParameterizedTest
    @CsvSource({"attacker.example", "anything.at.all:1"})
    void aStarServesEveryHost(String host) {
        assertEquals(true, new AllowedHosts(List.of("*")).allows(host));
        assertEquals(false, DEFAULT.allows(null));
        assertEquals(false, new AllowedHosts(List.of("*")).allows(":80"), "but never a missing or malformed one");
    }
}
