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

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.GeneratedFiles;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.io.InputStreamSource;
import org.springframework.javapoet.ClassName;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real Spring AOT processing of a context, for a test: generates its sources, compiles
 * them with the JDK's compiler, and defines the classes beside the classes they were
 * generated for (so that package-private bean methods stay reachable, as they are in an
 * application built with AOT). What runs afterwards is the generated initializer, with no
 * configuration class parsed and no condition evaluated.
 */
final class AotArtifacts {

    private final RuntimeHints hints;

    private final String initializer;

    private AotArtifacts(RuntimeHints hints, String initializer) {
        this.hints = hints;
        this.initializer = initializer;
    }

    /**
     * Processes a context ahead of time, then compiles and loads what was generated.
     * @param context the context, not refreshed
     * @param target a class that names the generated initializer
     * @param workDirectory where to write sources and classes
     * @return the artifacts
     */
    static AotArtifacts process(GenericApplicationContext context, Class<?> target, Path workDirectory)
            throws IOException, ReflectiveOperationException {
        InMemoryGeneratedFiles files = new InMemoryGeneratedFiles();
        DefaultGenerationContext generation = new DefaultGenerationContext(
                new ClassNameGenerator(ClassName.get(target)), files);
        ClassName initializer = new ApplicationContextAotGenerator().processAheadOfTime(context, generation);
        generation.writeGeneratedContent();
        Path sources = Files.createDirectories(workDirectory.resolve("sources"));
        Path classes = Files.createDirectories(workDirectory.resolve("classes"));
        List<String> arguments = new ArrayList<>(List.of("-proc:none", "-nowarn", "-classpath",
                System.getProperty("java.class.path"), "-d", classes.toString()));
        for (Map.Entry<String, InputStreamSource> source : files.getGeneratedFiles(GeneratedFiles.Kind.SOURCE)
            .entrySet()) {
            Path file = sources.resolve(source.getKey());
            Files.createDirectories(file.getParent());
            try (InputStream content = source.getValue().getInputStream()) {
                Files.copy(content, file);
            }
            arguments.add(file.toString());
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        assertThat(compiler.run(null, null, null, arguments.toArray(String[]::new))).as("javac of the AOT sources")
            .isZero();
        define(classes);
        return new AotArtifacts(generation.getRuntimeHints(), initializer.reflectionName());
    }

    /** The hints the processing contributed. */
    RuntimeHints runtimeHints() {
        return this.hints;
    }

    /**
     * Applies the generated initializer to a fresh context, as an application run with
     * AOT does.
     * @param context the context to initialize, not refreshed
     */
    @SuppressWarnings("unchecked")
    void initialize(GenericApplicationContext context) throws ReflectiveOperationException {
        ((ApplicationContextInitializer<GenericApplicationContext>) Class.forName(this.initializer)
            .getDeclaredConstructor()
            .newInstance()).initialize(context);
    }

    /**
     * Defines each compiled class in the class loader and package of the class it was
     * generated for: {@code Foo__BeanDefinitions} beside {@code Foo}.
     */
    private static Class<?> anchor(String generated) throws ClassNotFoundException {
        String packageName = generated.substring(0, generated.lastIndexOf('.') + 1);
        String simple = generated.substring(packageName.length()).split("\\$")[0].split("__")[0];
        try {
            return Class.forName(packageName + simple);
        }
        catch (ClassNotFoundException ex) {
            // a nested class's name is flattened: Outer_Inner__BeanDefinitions
            return Class.forName(packageName + simple.split("_")[0]);
        }
    }

    private static void define(Path classes) throws IOException, ReflectiveOperationException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(classes)) {
            // outer classes first, so that a nested class finds its host
            files = walk.filter((file) -> file.toString().endsWith(".class"))
                .sorted((a, b) -> Integer.compare(a.toString().length(), b.toString().length()))
                .toList();
        }
        for (Path file : files) {
            String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
            MethodHandles.privateLookupIn(anchor(name), MethodHandles.lookup()).defineClass(Files.readAllBytes(file));
        }
    }

}
