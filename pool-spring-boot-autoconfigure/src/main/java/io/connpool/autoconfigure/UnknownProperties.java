package io.connpool.autoconfigure;

import io.connpool.autoconfigure.UnknownPropertiesException.UnknownProperty;
import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.origin.SystemEnvironmentOrigin;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import java.beans.PropertyDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Stops start-up on a key under {@code connpool} that nothing binds, since a misspelt setting would
 * otherwise be ignored and its default used. Known is what Boot's binder binds into
 * {@link ConnPoolProperties}: every relaxed spelling Boot accepts ({@code maxSize}, {@code max_size},
 * {@code CONNPOOL_POOLS_X_MAXSIZE}) passes, free-form maps ({@code tags}) take any key, and a property
 * added to the properties classes is known without a list to keep up to date here. For each unknown key
 * the report names the nearest valid one, found by walking the properties classes the same way.
 */
final class UnknownProperties {

    static final String ROOT = "connpool";
    static final String DEFAULTS = ROOT + ".defaults";

    private UnknownProperties() {
    }

    static void reject(Binder binder) {
        try {
            binder.bind(ROOT, Bindable.of(ConnPoolProperties.class), new NoUnboundElementsBindHandler(BindHandler.DEFAULT));
        } catch (BindException e) {
            if (!(e.getCause() instanceof UnboundConfigurationPropertiesException)) {
                throw e; // a value Boot cannot convert: Boot's own failure report says which and why
            }
            List<UnknownProperty> unknown = new ArrayList<>();
            for (ConfigurationProperty property : ((UnboundConfigurationPropertiesException) e.getCause()).getUnboundProperties()) {
                unknown.add(describe(property));
            }
            throw new UnknownPropertiesException(unknown);
        }
    }

    /** Walks the name down the properties classes to the first element they do not know, and suggests there. */
    static UnknownProperty describe(ConfigurationProperty unbound) {
        ConfigurationPropertyName name = unbound.getName();
        String where = unbound.getOrigin() == null ? null : unbound.getOrigin().toString();
        boolean env = unbound.getOrigin() instanceof SystemEnvironmentOrigin
                || (unbound.getSource() != null && unbound.getSource().getUnderlyingSource() instanceof SystemEnvironmentPropertySource);
        Class<?> level = ConnPoolProperties.class;
        String pool = null;
        int poolElement = -1;
        int i = 1;
        while (i < name.getNumberOfElements()) {
            PropertyDescriptor property = find(level, name.getElement(i, Form.UNIFORM));
            if (property == null) {
                return unknownAt(name, i, level, pool, poolElement, env, where);
            }
            Class<?> type = property.getPropertyType();
            if (Map.class.isAssignableFrom(type)) {
                Class<?> values = ResolvableType.forMethodReturnType(property.getReadMethod()).asMap().resolveGeneric(1);
                if (values == null || !isGroup(values) || i + 1 >= name.getNumberOfElements()) {
                    break; // a free-form map binds any key; nothing to suggest
                }
                pool = name.getElement(i + 1, Form.ORIGINAL);
                poolElement = i + 1;
                level = values;
                i += 2;
            } else if (isGroup(type)) {
                level = type;
                i++;
            } else {
                String setting = kebab(property.getName());
                String key = written(name, i + 1, null, 0, poolElement);
                return new UnknownProperty(written(name, name.getNumberOfElements(), null, 0, poolElement), pool, key,
                        "'" + setting + "' takes a value, not keys of its own: set '" + key + "' itself" + envSpelling(key, env),
                        where);
            }
        }
        return new UnknownProperty(written(name, name.getNumberOfElements(), null, 0, poolElement), pool, null,
                "remove it", where);
    }

    private static UnknownProperty unknownAt(ConfigurationPropertyName name, int i, Class<?> level, String pool, int poolElement,
                                             boolean env, String where) {
        String key = written(name, name.getNumberOfElements(), null, 0, poolElement);
        // MAX_SIZE in an environment variable arrives as max.size: the words of one property split apart
        StringBuilder joined = new StringBuilder(name.getElement(i, Form.UNIFORM));
        for (int last = i + 1; last < name.getNumberOfElements(); last++) {
            joined.append(name.getElement(last, Form.UNIFORM));
            PropertyDescriptor property = find(level, joined.toString());
            if (property != null && !isGroup(property.getPropertyType()) && last == name.getNumberOfElements() - 1) {
                String setting = kebab(property.getName());
                String suggestion = written(name, i, setting, 0, poolElement);
                return new UnknownProperty(key, pool, suggestion, "did you mean '" + setting + "'?" + envSpelling(suggestion, env), where);
            }
        }
        // connpool.pools.orders.db.max-size: a pool name with a dot in it, written without brackets
        if (pool != null && i == poolElement + 1 && i + 1 < name.getNumberOfElements()
                && find(level, name.getElement(i + 1, Form.UNIFORM)) != null) {
            String dotted = pool + "." + name.getElement(i, Form.ORIGINAL);
            String suggestion = ROOT + ".pools[" + dotted + "]" + rest(name, i + 1);
            return new UnknownProperty(key, pool, suggestion, "a pool name with a dot in it goes in brackets: did you mean '"
                    + suggestion + "'? (in YAML: \"[" + dotted + "]\":)", where);
        }
        List<String> candidates = names(level);
        String wrong = name.getElement(i, Form.UNIFORM);
        String nearest = null;
        int best = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = distance(wrong, uniform(candidate));
            if (distance < best) {
                best = distance;
                nearest = candidate;
            }
        }
        if (nearest != null && best <= Math.max(2, wrong.length() / 3)) {
            String suggestion = written(name, i, nearest, i + 1, poolElement);
            return new UnknownProperty(key, pool, suggestion, "did you mean '" + nearest + "'?" + envSpelling(suggestion, env), where);
        }
        return new UnknownProperty(key, pool, null, "the keys known there are " + String.join(", ", candidates), where);
    }

    /** For a key set as an environment variable, the variable that would set the suggestion. */
    private static String envSpelling(String suggestion, boolean env) {
        if (!env || suggestion.contains("[")) {
            return "";
        }
        return " (as an environment variable: " + suggestion.replace("-", "").replace('.', '_').toUpperCase(Locale.ROOT) + ")";
    }

    /**
     * The first {@code count} elements of the name as the user wrote them (a pool name in brackets when it
     * holds a dot), then {@code replacement} if given, then the elements from {@code from} on.
     */
    private static String written(ConfigurationPropertyName name, int count, String replacement, int from, int poolElement) {
        StringBuilder out = new StringBuilder(ROOT);
        for (int i = 1; i < count; i++) {
            out.append(element(name, i, poolElement));
        }
        if (replacement != null) {
            out.append('.').append(replacement);
            if (from > 0) {
                out.append(rest(name, from));
            }
        }
        return out.toString();
    }

    private static String rest(ConfigurationPropertyName name, int from) {
        StringBuilder out = new StringBuilder();
        for (int i = from; i < name.getNumberOfElements(); i++) {
            out.append(element(name, i, -1));
        }
        return out.toString();
    }

    private static String element(ConfigurationPropertyName name, int i, int poolElement) {
        String original = name.getElement(i, Form.ORIGINAL);
        boolean indexed = name.chop(i + 1).isLastElementIndexed();
        return indexed || (i == poolElement && original.contains(".")) ? "[" + original + "]" : "." + original;
    }

    private static PropertyDescriptor find(Class<?> type, String uniformElement) {
        String wanted = uniform(uniformElement);
        for (PropertyDescriptor property : BeanUtils.getPropertyDescriptors(type)) {
            if (property.getReadMethod() != null && !"class".equals(property.getName())
                    && uniform(property.getName()).equals(wanted)) {
                return property;
            }
        }
        return null;
    }

    /** The keys of a properties class, kebab-case, in the order of its fields: what a user may write there. */
    private static List<String> names(Class<?> type) {
        List<String> fields = new ArrayList<>();
        for (java.lang.reflect.Field field : type.getDeclaredFields()) {
            if (!java.lang.reflect.Modifier.isStatic(field.getModifiers()) && find(type, field.getName()) != null) {
                fields.add(kebab(field.getName()));
            }
        }
        return fields.stream().distinct().collect(Collectors.toList());
    }

    /** A nested group of settings (PoolProperties under defaults), as opposed to a value. */
    private static boolean isGroup(Class<?> type) {
        return !type.isEnum() && type.getPackageName().equals(UnknownProperties.class.getPackageName());
    }

    private static String kebab(String camel) {
        return PoolCreator.kebab(camel);
    }

    private static String uniform(String name) {
        return name.replaceAll("[^A-Za-z0-9]", "").toLowerCase(Locale.ROOT);
    }

    /** Levenshtein distance: typos of one or two letters are near, other properties far. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
