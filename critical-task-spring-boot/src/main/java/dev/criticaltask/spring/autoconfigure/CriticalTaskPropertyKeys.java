/*
 * Copyright 2026-present the original author or authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

package dev.criticaltask.spring.autoconfigure;

import java.beans.PropertyDescriptor;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.ResolvableType;
import org.springframework.util.ClassUtils;

/**
 * Every key that binds to a properties class, read from the class itself (its JavaBean
 * properties, as Boot's binder reads them), so that a property added to the class is a
 * valid key without any list to update. A map's key is a wildcard element (a task's
 * name), a collection's index an index element.
 *
 * <p>
 * Immutable and thread-safe once built.
 */
final class CriticalTaskPropertyKeys {

    /** Where a wildcard element is shown in a key: {@code critical-task.tasks.<name>}. */
    static final String NAME_PLACEHOLDER = "<name>";

    private static final String INDEX_PLACEHOLDER = "[<index>]";

    private final List<Key> keys;

    private final Set<Class<?>> types;

    private CriticalTaskPropertyKeys(List<Key> keys, Set<Class<?>> types) {
        this.keys = List.copyOf(keys);
        this.types = Set.copyOf(types);
    }

    /**
     * Reads the keys of a properties class.
     * @param type the properties class
     * @param prefix its prefix, such as {@code critical-task}
     * @return its keys
     */
    static CriticalTaskPropertyKeys of(Class<?> type, String prefix) {
        List<Key> keys = new ArrayList<>();
        Set<Class<?>> types = new LinkedHashSet<>();
        List<Element> path = new ArrayList<>();
        for (String part : ConfigurationPropertyName.of(prefix).toString().split("\\.")) {
            path.add(Element.literal(part));
        }
        walk(type, path, keys, types, new LinkedHashSet<>());
        return new CriticalTaskPropertyKeys(keys, types);
    }

    /** The keys of {@link CriticalTaskProperties}. */
    static CriticalTaskPropertyKeys criticalTask() {
        return of(CriticalTaskProperties.class, "critical-task");
    }

    /**
     * Every key, a wildcard shown as {@code <name>}, an index as {@code [<index>]}.
     * @return the keys, in the order of the class's properties
     */
    List<String> keys() {
        return this.keys.stream().map((key) -> key.display(null, 1)).toList();
    }

    /**
     * The properties classes read, the root and each nested one: what reading the keys
     * reaches by reflection.
     * @return the classes
     */
    Set<Class<?>> types() {
        return this.types;
    }

    /**
     * Whether a property name, as a property source other than the system environment
     * gives it, binds to a key. Relaxed as Boot's binder is: dashes, camel case and
     * brackets.
     * @param name the name
     * @return whether it binds
     */
    boolean isKnown(ConfigurationPropertyName name) {
        List<String> elements = uniformElements(name);
        return this.keys.stream().anyMatch((key) -> key.matches(elements, 0, 0));
    }

    /**
     * Whether a property name is under the prefix these keys were read with.
     * @param name the name, from a property source other than the system environment
     * @return whether it is under the prefix
     */
    boolean isUnderPrefix(ConfigurationPropertyName name) {
        List<String> elements = uniformElements(name);
        return !this.keys.isEmpty() && !elements.isEmpty()
                && elements.get(0).equals(this.keys.get(0).elements().get(0).uniform());
    }

    /**
     * Whether an environment variable binds to a key. Boot looks a key up in the
     * environment in two forms, each all upper or all lower case: dots as underscores and
     * dashes dropped ({@code CRITICALTASK_SHUTDOWN_EXITCODE}), or dashes as underscores
     * too ({@code CRITICAL_TASK_SHUTDOWN_EXIT_CODE}); a variable that mixes the two is
     * never read.
     * @param variable the variable's name
     * @return whether it binds
     */
    boolean isKnownEnvironmentVariable(String variable) {
        if (!variable.equals(variable.toUpperCase(Locale.ROOT))
                && !variable.equals(variable.toLowerCase(Locale.ROOT))) {
            return false;
        }
        String upper = variable.toUpperCase(Locale.ROOT);
        return this.keys.stream().anyMatch((key) -> key.matchesEnvironmentVariable(upper));
    }

    /**
     * Whether an environment variable is under the prefix these keys were read with, in
     * either of its forms ({@code CRITICAL_TASK_} or {@code CRITICALTASK_}).
     * @param variable the variable's name
     * @return whether it is under the prefix
     */
    boolean isUnderPrefixAsEnvironmentVariable(String variable) {
        if (this.keys.isEmpty()) {
            return false;
        }
        String upper = variable.toUpperCase(Locale.ROOT);
        String prefix = Objects.requireNonNull(this.keys.get(0).elements().get(0).name()).toUpperCase(Locale.ROOT);
        return upper.startsWith(prefix.replace('-', '_') + "_") || upper.startsWith(prefix.replace("-", "") + "_");
    }

    /**
     * The valid key nearest to an unknown one, by edit distance over the names without
     * separators, with the unknown key's own task name (or index) filled in.
     * @param name the unknown name
     * @return the nearest key, in its canonical form
     */
    String nearest(ConfigurationPropertyName name) {
        return nearest(uniformElements(name), originalElements(name));
    }

    /**
     * The valid key nearest to an unknown environment variable.
     * @param variable the variable's name
     * @return the nearest key, in its canonical form
     */
    String nearestToEnvironmentVariable(String variable) {
        List<String> elements = List.of(variable.toLowerCase(Locale.ROOT).split("_"));
        return nearest(elements, elements);
    }

    private String nearest(List<String> uniform, List<String> original) {
        String unknown = String.join("", uniform);
        String best = "";
        int bestDistance = Integer.MAX_VALUE;
        for (Key key : this.keys) {
            // a task name with a dot, written without brackets, spans several elements
            int spans = key.hasWildcard() ? Math.max(1, original.size() - key.elements().size() + 1) : 1;
            for (int span = 1; span <= spans; span++) {
                String candidate = key.display(original, span);
                int distance = distance(unknown, squash(candidate));
                if (distance < bestDistance) {
                    best = candidate;
                    bestDistance = distance;
                }
            }
        }
        return best;
    }

    private static void walk(Class<?> type, List<Element> path, List<Key> keys, Set<Class<?>> types,
            Set<Class<?>> walking) {
        if (!walking.add(type)) {
            throw new IllegalStateException("Properties class " + type.getName() + " contains itself");
        }
        types.add(type);
        for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(type)) {
            Method getter = descriptor.getReadMethod();
            if (getter == null || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            List<Element> child = new ArrayList<>(path);
            child.add(Element.literal(DataObjectPropertyName.toDashedForm(descriptor.getName())));
            add(ResolvableType.forMethodReturnType(getter), descriptor.getWriteMethod() != null, child, keys, types,
                    walking);
        }
        walking.remove(type);
    }

    private static void add(ResolvableType type, boolean settable, List<Element> path, List<Key> keys,
            Set<Class<?>> types, Set<Class<?>> walking) {
        Class<?> resolved = type.resolve(Object.class);
        if (Map.class.isAssignableFrom(resolved)) {
            List<Element> entry = new ArrayList<>(path);
            entry.add(Element.WILDCARD);
            add(type.asMap().getGeneric(1), true, entry, keys, types, walking);
        }
        else if (Collection.class.isAssignableFrom(resolved) || resolved.isArray()) {
            ResolvableType elementType = resolved.isArray() ? type.getComponentType()
                    : type.asCollection().getGeneric(0);
            if (isScalar(elementType.resolve(Object.class))) {
                // a comma-separated value, or one element per index
                keys.add(new Key(path));
            }
            List<Element> element = new ArrayList<>(path);
            element.add(Element.INDEX);
            add(elementType, true, element, keys, types, walking);
        }
        else if (isScalar(resolved)) {
            if (settable) {
                keys.add(new Key(path));
            }
        }
        else {
            walk(resolved, path, keys, types, walking);
        }
    }

    private static boolean isScalar(Class<?> type) {
        return ClassUtils.isPrimitiveOrWrapper(type) || type.isEnum() || type.getName().startsWith("java.")
                || ApplicationConversionService.getSharedInstance().canConvert(String.class, type);
    }

    /**
     * The elements in Boot's uniform form (lower case, letters and digits only); an
     * element written in brackets keeps its text, as the binder compares it, so that a
     * literal in brackets, which binds to no JavaBean property, is unknown.
     */
    private static List<String> uniformElements(ConfigurationPropertyName name) {
        List<String> elements = new ArrayList<>(name.getNumberOfElements());
        for (int i = 0; i < name.getNumberOfElements(); i++) {
            String element = name.getElement(i, ConfigurationPropertyName.Form.UNIFORM);
            elements.add(name.isNumericIndex(i) ? "[" + element + "]" : element);
        }
        return elements;
    }

    private static List<String> originalElements(ConfigurationPropertyName name) {
        List<String> elements = new ArrayList<>(name.getNumberOfElements());
        for (int i = 0; i < name.getNumberOfElements(); i++) {
            String element = name.getElement(i, ConfigurationPropertyName.Form.ORIGINAL);
            elements.add(name.isNumericIndex(i) ? "[" + element + "]" : element);
        }
        return elements;
    }

    private static String squash(String key) {
        StringBuilder squashed = new StringBuilder(key.length());
        for (char c : key.toLowerCase(Locale.ROOT).toCharArray()) {
            if (Character.isLetterOrDigit(c)) {
                squashed.append(c);
            }
        }
        return squashed.toString();
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + ((a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /**
     * One element of a key: a literal name in dashed form, a map key or an index.
     *
     * @param name the dashed name; {@code null} for a map key or an index
     * @param index whether it is an index rather than a map key, when it has no name
     */
    private record Element(@Nullable String name, boolean index) {

        static final Element WILDCARD = new Element(null, false);

        static final Element INDEX = new Element(null, true);

        static Element literal(String name) {
            return new Element(name, false);
        }

        /** The uniform form (lowercase, no dashes) of a literal name. */
        String uniform() {
            return squash((this.name != null) ? this.name : "");
        }

    }

    /** One valid key: its elements, from the prefix on. */
    private record Key(List<Element> elements, Pattern dashesDropped, Pattern dashesAsUnderscores) {

        Key(List<Element> elements) {
            this(List.copyOf(elements), environmentPattern(elements, ""), environmentPattern(elements, "_"));
        }

        /** The key as an upper-case environment variable, its dashes replaced. */
        private static Pattern environmentPattern(List<Element> elements, String dash) {
            StringBuilder regex = new StringBuilder();
            for (Element element : elements) {
                if (!regex.isEmpty()) {
                    regex.append('_');
                }
                String name = element.name();
                if (name != null) {
                    regex.append(Pattern.quote(name.toUpperCase(Locale.ROOT).replace("-", dash)));
                }
                else {
                    // the binder reads one element as the map key or the index
                    regex.append(element.index() ? "[0-9]+" : "[^_]+");
                }
            }
            return Pattern.compile(regex.toString());
        }

        boolean matchesEnvironmentVariable(String upperCase) {
            return this.dashesDropped.matcher(upperCase).matches()
                    || this.dashesAsUnderscores.matcher(upperCase).matches();
        }

        boolean hasWildcard() {
            return this.elements.stream().anyMatch((element) -> element.name() == null && !element.index());
        }

        /**
         * Whether the candidate's uniform elements from {@code at} on match this key's
         * from {@code element} on.
         */
        boolean matches(List<String> candidate, int element, int at) {
            if (element == this.elements.size() || at == candidate.size()) {
                return element == this.elements.size() && at == candidate.size();
            }
            Element expected = this.elements.get(element);
            boolean matches = (expected.name() != null) ? candidate.get(at).equals(expected.uniform())
                    : !expected.index() || candidate.get(at).startsWith("[");
            // a map key can be any one element, an index only a number
            return matches && matches(candidate, element + 1, at + 1);
        }

        /**
         * The key in its canonical form, with the candidate's own elements in place of a
         * wildcard or an index where the candidate has them, a wildcard taking
         * {@code span} of them (a name with dots). A literal with dashes may stand for
         * several of the candidate's elements when it comes from an environment variable.
         */
        String display(@Nullable List<String> candidate, int span) {
            StringBuilder display = new StringBuilder();
            int at = 0;
            for (Element element : this.elements) {
                String name = element.name();
                if (name != null) {
                    if (!display.isEmpty()) {
                        display.append('.');
                    }
                    display.append(name);
                    String[] parts = name.split("-");
                    boolean split = candidate != null && parts.length > 1 && at + parts.length <= candidate.size()
                            && candidate.get(at).equals(squash(parts[0]))
                            && !candidate.get(at).equals(element.uniform());
                    at += split ? parts.length : 1;
                    continue;
                }
                String own = (candidate != null && at < candidate.size()) ? candidate.get(at) : null;
                if (element.index()) {
                    display.append((own != null && own.startsWith("[")) ? own : INDEX_PLACEHOLDER);
                }
                else {
                    String key = NAME_PLACEHOLDER;
                    if (own != null && candidate != null) {
                        List<String> spanned = candidate.subList(at, Math.min(candidate.size(), at + span));
                        key = String.join(".", spanned).replace("[", "").replace("]", "");
                        at += spanned.size() - 1;
                    }
                    display.append(key.contains(".") ? "[" + key + "]" : "." + key);
                }
                at++;
            }
            return display.toString();
        }

    }

}
