package io.connpool;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one rule for what connpool never shows: the value of a setting or tag whose name says it is
 * secret, and the user info ({@code user:password@}) of an address or of a URI inside a message.
 * Everything connpool displays (stats, the actuator endpoint, health details, its logs and exceptions)
 * goes through these methods, so that widening the rule widens it everywhere.
 */
public final class Secrets {

    /** What a secret is shown as. */
    public static final String MASK = "******";

    /**
     * Spellings that make a name secret wherever they occur in it, compared with case and separators
     * removed, so that {@code db.password}, {@code dbPassword}, {@code DB_PASSWORD} and {@code api-key}
     * all match. Long enough not to occur by chance in an ordinary name.
     */
    private static final String[] SECRET_PARTS = {
            "password", "passwd", "passphrase", "secret", "token", "credential", "apikey", "accesskey",
            "privatekey", "secretkey", "sessionkey", "signingkey", "encryptionkey", "masterkey", "clientkey",
            "sshkey", "licensekey", "authorization", "bearer", "signature", "cookie"};

    /**
     * Short spellings that make a name secret only as a whole word ({@code X-Auth-Token}, {@code db.pwd}),
     * so that {@code author} or {@code passenger} stay visible.
     */
    private static final Set<String> SECRET_WORDS = Set.of("pwd", "pw", "pass", "auth", "authn", "authz", "jwt", "sig");

    private static final Pattern WORD_BOUNDARY = Pattern.compile("(?<=[a-z0-9])(?=[A-Z])|[^A-Za-z0-9]+");

    /**
     * {@code scheme://anything@}: user info of a URI, with or without a password ({@code redis://token@host}),
     * up to the last {@code @} before a query: a raw password may hold {@code /} or {@code @} (a base64
     * one often does), and masking a little more is better than showing part of it.
     */
    private static final Pattern URI_USER_INFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)[^\\s'\"<>?#]*@");

    private static final String TOKEN_START = "(?<=^|[\\s'\"(\\[<{,;=/])";
    private static final String USER = "[^\\s/'\"@:()\\[\\]<>{},;=]+";

    /**
     * {@code user:password@host}, outside a URI; the password may hold anything but a space, a quote
     * or a scheme's {@code ://} (so that {@code jdbc:postgresql://…} is left to the URI rule).
     */
    private static final Pattern USER_PASSWORD_AT = Pattern.compile(TOKEN_START + USER + ":(?!//)(?:(?!://)[^\\s'\"])*@(?=[\\w\\[])");

    /** {@code password@host:port}, outside a URI: a lone word before a host and port is user info too. */
    private static final Pattern USER_AT_HOST_PORT = Pattern.compile(TOKEN_START + USER + "@(?=[A-Za-z0-9.-]+:\\d)");

    private Secrets() {
    }

    /**
     * Whether a setting or tag of this name holds a secret: its name contains password, passwd,
     * passphrase, secret, token, credential(s), api-key, access-key, private-key, session-key,
     * authorization, bearer, signature or cookie (any case, kebab, camel or snake case, with any prefix
     * or suffix), or has pwd, pw, pass, auth, jwt or sig as a word of its own.
     */
    public static boolean isSecretName(String name) {
        if (name == null) {
            return false;
        }
        String squashed = name.replaceAll("[^A-Za-z0-9]", "").toLowerCase(Locale.ROOT);
        for (String part : SECRET_PARTS) {
            if (squashed.contains(part)) {
                return true;
            }
        }
        for (String word : WORD_BOUNDARY.split(name)) {
            String w = word.toLowerCase(Locale.ROOT);
            if (SECRET_WORDS.contains(w) || w.endsWith("auth")) { // oauth, xauth, proxyauth
                return true;
            }
        }
        return false;
    }

    /** The value to show for a setting or tag: {@link #MASK} if its name is secret, else the value itself. */
    public static <V> Object shown(String name, V value) {
        return value != null && isSecretName(name) ? MASK : value;
    }

    /**
     * A message with the user info of every URI ({@code redis://admin:hunter2@db:6379} becomes
     * {@code redis://******@db:6379}) and of every {@code user:password@host} masked. For text from
     * outside connpool (a factory's exception message) before it is shown or logged.
     */
    public static String redact(String message) {
        if (message == null || message.indexOf('@') < 0) {
            return message;
        }
        String out = URI_USER_INFO.matcher(message).replaceAll("$1" + Matcher.quoteReplacement(MASK) + "@");
        out = USER_PASSWORD_AT.matcher(out).replaceAll(Matcher.quoteReplacement(MASK) + "@");
        return USER_AT_HOST_PORT.matcher(out).replaceAll(Matcher.quoteReplacement(MASK) + "@");
    }

    /**
     * An address with everything before its last {@code @} masked ({@code admin:hunter2@db:6379} and
     * {@code hunter2@db:6379} both become {@code ******@db:6379}); a URI keeps its scheme. For a value
     * known to be an address, where even a lone word before {@code @} is a credential.
     */
    public static String maskUserInfo(String address) {
        if (address == null) {
            return null;
        }
        int at = address.lastIndexOf('@');
        if (at < 0) {
            return address;
        }
        int scheme = address.indexOf("://");
        int start = scheme >= 0 && scheme < at ? scheme + 3 : 0;
        return address.substring(0, start) + MASK + address.substring(at);
    }
}
