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

package dev.criticaltask.sample.dashboard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PromQL of a dashboard panel, for the few shapes the dashboard uses: a series name,
 * optionally in {@code increase(name[window])}, optionally summed, in all or
 * {@code by (labels)}. Evaluated over the scrapes of a real run, as Prometheus would over
 * the same samples (an {@code increase} is the difference from the sample a window
 * before, or from the first sample when the run is shorter than the window). A query of
 * any other shape is refused: the picture must show the dashboard's own queries.
 *
 * @param expr the query as the dashboard has it
 * @param series the name of the series it reads
 * @param increaseSeconds the window of its {@code increase}, or 0 for the value itself
 * @param summed whether it is summed
 * @param by the labels it is summed by; empty with a sum over all
 */
record PanelQuery(String expr, String series, double increaseSeconds, boolean summed, List<String> by) {

    private static final Pattern SHAPE = Pattern.compile(
            "^(?:sum(?:\\s+by\\s*\\(([^)]*)\\))?\\s*\\()?\\s*(?:increase\\(([a-zA-Z_:][a-zA-Z0-9_:]*)\\[(\\d+)([smh])\\]\\)|([a-zA-Z_:][a-zA-Z0-9_:]*))\\s*\\)?$");

    static PanelQuery parse(String expr) {
        Matcher shape = SHAPE.matcher(expr.trim());
        if (!shape.matches() || (expr.trim().startsWith("sum") != expr.trim().endsWith(")"))) {
            throw new IllegalArgumentException("Not a query shape the picture can draw: " + expr);
        }
        boolean summed = expr.trim().startsWith("sum");
        List<String> by = new ArrayList<>();
        if (shape.group(1) != null) {
            for (String label : shape.group(1).split(",")) {
                by.add(label.trim());
            }
        }
        if (shape.group(2) != null) {
            double seconds = Double.parseDouble(shape.group(3)) * switch (shape.group(4)) {
                case "s" -> 1;
                case "m" -> 60;
                default -> 3600;
            };
            return new PanelQuery(expr, shape.group(2), seconds, summed, List.copyOf(by));
        }
        return new PanelQuery(expr, shape.group(5), 0, summed, List.copyOf(by));
    }

    /**
     * The query's lines over the run: by legend (the legend format with the labels put
     * in), one value per scrape, NaN where the line has no value.
     */
    Map<String, double[]> evaluate(List<Scrape> scrapes, String legendFormat) {
        Map<String, double[]> lines = new TreeMap<>();
        for (int i = 0; i < scrapes.size(); i++) {
            Map<Map<String, String>, Double> values = at(scrapes, i);
            for (Map.Entry<Map<String, String>, Double> value : values.entrySet()) {
                double[] line = lines.computeIfAbsent(legend(legendFormat, value.getKey()),
                        key -> nans(scrapes.size()));
                line[i] = value.getValue();
            }
        }
        return lines;
    }

    private Map<Map<String, String>, Double> at(List<Scrape> scrapes, int index) {
        Scrape now = scrapes.get(index);
        Scrape before = null;
        if (increaseSeconds > 0) {
            for (Scrape earlier : scrapes) {
                if (earlier.at() >= now.at() - increaseSeconds) {
                    before = earlier;
                    break;
                }
            }
        }
        Map<Map<String, String>, Double> result = new LinkedHashMap<>();
        for (Scrape.Sample sample : now.samples()) {
            if (!sample.name().equals(series)) {
                continue;
            }
            double value = sample.value();
            if (before != null) {
                // a counter the earlier scrape did not serve yet started from nothing
                value -= valueOf(before, sample.labels());
            }
            Map<String, String> key = summed ? grouped(sample.labels()) : sample.labels();
            result.merge(key, value, summed ? Double::sum : (a, b) -> b);
        }
        return result;
    }

    private Map<String, String> grouped(Map<String, String> labels) {
        Map<String, String> group = new LinkedHashMap<>();
        for (String label : by) {
            group.put(label, labels.getOrDefault(label, ""));
        }
        return group;
    }

    private double valueOf(Scrape scrape, Map<String, String> labels) {
        for (Scrape.Sample sample : scrape.samples()) {
            if (sample.name().equals(series) && sample.labels().equals(labels)) {
                return sample.value();
            }
        }
        return 0;
    }

    private static String legend(String format, Map<String, String> labels) {
        String legend = format;
        for (Map.Entry<String, String> label : labels.entrySet()) {
            legend = legend.replace("{{" + label.getKey() + "}}", label.getValue());
        }
        return legend.isBlank() ? labels.toString() : legend.trim();
    }

    private static double[] nans(int size) {
        double[] line = new double[size];
        java.util.Arrays.fill(line, Double.NaN);
        return line;
    }

}
