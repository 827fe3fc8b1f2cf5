package io.connpool;

/** A pool setting is out of range; the message names the setting, the value and what is allowed. */
public class InvalidConfigException extends PoolException {

    private final String setting;
    private final transient Object value;

    public InvalidConfigException(String setting, Object value, String allowed) {
        super(setting + " must be " + allowed + ", but was " + value);
        this.setting = setting;
        this.value = value;
    }

    /** The setting's name, as on the builder. */
    public String setting() {
        return setting;
    }

    /** The rejected value. */
    public Object value() {
        return value;
    }
}
