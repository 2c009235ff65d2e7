package io.pcaplake.spark.report;

import java.util.List;
import java.util.Locale;

/**
 * A tiny server-side SVG chart builder for report.html: stacked vertical bars over categories (hours), horizontal
 * bars for ranked labels, and lines over categories. Each chart is one standalone {@code <svg>} element with a
 * {@code <title>} (the chart title, for screen readers and tests), a visible title, axes with tick labels, axis
 * titles and, for several series, a legend. Every piece of text is {@link Html#escape escaped}, including
 * {@code <title>} tooltips on marks, so capture content cannot close the SVG or inject elements.
 */
final class SvgChart {
  private SvgChart() { }

  /** One named series of values, one per category, drawn in {@code color} (a CSS color we choose, never input). */
  record Series(String name, double[] values, String color) { }

  static final String[] PALETTE = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
      "#7f7f7f", "#bcbd22", "#17becf"};

  private static final int WIDTH = 760;
  private static final int LEFT = 64;
  private static final int RIGHT = 16;
  private static final int TOP = 48;
  private static final int PLOT_HEIGHT = 200;
  private static final int BOTTOM = 44;

  /** Bars over {@code categories}, the series stacked in order (e.g. 2xx at the bottom). */
  static String stackedBars(String title, String xTitle, String yTitle, List<String> categories,
                            List<Series> series) {
    double max = 0;
    for (int i = 0; i < categories.size(); i++) {
      double sum = 0;
      for (Series s : series) {
        sum += s.values()[i];
      }
      max = Math.max(max, sum);
    }
    double top = niceCeil(max);
    StringBuilder sb = open(title, WIDTH, TOP + PLOT_HEIGHT + BOTTOM);
    axes(sb, title, xTitle, yTitle, top, series);
    double step = plotWidth() / (double) Math.max(1, categories.size());
    double barWidth = Math.max(1, step * 0.8);
    for (int i = 0; i < categories.size(); i++) {
      double x = LEFT + i * step + (step - barWidth) / 2;
      double base = 0;
      for (Series s : series) {
        double v = s.values()[i];
        if (v > 0) {
          double y0 = y(base, top);
          double y1 = y(base + v, top);
          sb.append("<rect class=\"mark\" x=\"").append(f(x)).append("\" y=\"").append(f(y1)).append("\" width=\"")
              .append(f(barWidth)).append("\" height=\"").append(f(Math.max(0.5, y0 - y1))).append("\" fill=\"")
              .append(s.color()).append("\"><title>").append(Html.escape(categories.get(i) + " " + s.name() + ": "
                  + number(v))).append("</title></rect>");
        }
        base += v;
      }
    }
    categoryLabels(sb, categories, step);
    return sb.append("</svg>").toString();
  }

  /** One line per series over {@code categories}, with a dot per non-zero point. */
  static String lines(String title, String xTitle, String yTitle, List<String> categories, List<Series> series) {
    double max = 0;
    for (Series s : series) {
      for (double v : s.values()) {
        max = Math.max(max, v);
      }
    }
    double top = niceCeil(max);
    StringBuilder sb = open(title, WIDTH, TOP + PLOT_HEIGHT + BOTTOM);
    axes(sb, title, xTitle, yTitle, top, series);
    double step = plotWidth() / (double) Math.max(1, categories.size());
    for (Series s : series) {
      StringBuilder points = new StringBuilder();
      for (int i = 0; i < categories.size(); i++) {
        points.append(i == 0 ? "" : " ").append(f(LEFT + i * step + step / 2)).append(',')
            .append(f(y(s.values()[i], top)));
      }
      sb.append("<polyline class=\"mark\" fill=\"none\" stroke-width=\"2\" stroke=\"").append(s.color())
          .append("\" points=\"").append(points).append("\"><title>").append(Html.escape(s.name()))
          .append("</title></polyline>");
      for (int i = 0; i < categories.size(); i++) {
        double v = s.values()[i];
        if (v > 0) {
          sb.append("<circle cx=\"").append(f(LEFT + i * step + step / 2)).append("\" cy=\"").append(f(y(v, top)))
              .append("\" r=\"3\" fill=\"").append(s.color()).append("\"><title>")
              .append(Html.escape(s.name() + " " + categories.get(i) + ": " + number(v))).append("</title></circle>");
        }
      }
    }
    categoryLabels(sb, categories, step);
    return sb.append("</svg>").toString();
  }

  /** Horizontal bars, one per label, in the given order (the caller ranks them); labels are shortened to fit. */
  static String horizontalBars(String title, String valueTitle, List<String> labels, List<Double> values,
                               String color) {
    int labelWidth = 300;
    int row = 20;
    int height = TOP + row * Math.max(1, labels.size()) + 36;
    double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    double top = niceCeil(max);
    double width = WIDTH - labelWidth - RIGHT - 60;
    StringBuilder sb = open(title, WIDTH, height);
    heading(sb, title);
    int bottom = TOP + row * labels.size();
    for (int t = 0; t <= 4; t++) {
      double v = top * t / 4;
      double x = labelWidth + width * t / 4;
      sb.append("<line class=\"grid\" x1=\"").append(f(x)).append("\" x2=\"").append(f(x)).append("\" y1=\"")
          .append(TOP - 4).append("\" y2=\"").append(bottom).append("\" stroke=\"#ddd\"/>");
      sb.append("<text class=\"tick\" x=\"").append(f(x)).append("\" y=\"").append(bottom + 14)
          .append("\" text-anchor=\"middle\">").append(number(v)).append("</text>");
    }
    sb.append("<text class=\"axis-title\" x=\"").append(f(labelWidth + width / 2)).append("\" y=\"")
        .append(bottom + 30).append("\" text-anchor=\"middle\">").append(Html.escape(valueTitle)).append("</text>");
    for (int i = 0; i < labels.size(); i++) {
      double v = values.get(i);
      int y = TOP + i * row;
      sb.append("<text class=\"label\" x=\"").append(labelWidth - 6).append("\" y=\"").append(y + 14)
          .append("\" text-anchor=\"end\">").append(Html.shortened(labels.get(i), 44)).append("<title>")
          .append(Html.escape(labels.get(i))).append("</title></text>");
      double w = top == 0 ? 0 : width * v / top;
      sb.append("<rect class=\"mark\" x=\"").append(labelWidth).append("\" y=\"").append(y + 3)
          .append("\" width=\"").append(f(Math.max(1, w))).append("\" height=\"").append(row - 6)
          .append("\" fill=\"").append(color).append("\"><title>").append(Html.escape(labels.get(i) + ": "
              + number(v))).append("</title></rect>");
      sb.append("<text class=\"value\" x=\"").append(f(labelWidth + Math.max(1, w) + 4)).append("\" y=\"")
          .append(y + 14).append("\">").append(number(v)).append("</text>");
    }
    return sb.append("</svg>").toString();
  }

  private static StringBuilder open(String title, int width, int height) {
    StringBuilder sb = new StringBuilder(8192);
    sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" width=\"").append(width)
        .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
        .append("\"><title>").append(Html.escape(title)).append("</title>");
    return sb;
  }

  private static void heading(StringBuilder sb, String title) {
    sb.append("<text class=\"chart-title\" x=\"").append(LEFT).append("\" y=\"18\">").append(Html.escape(title))
        .append("</text>");
  }

  private static void axes(StringBuilder sb, String title, String xTitle, String yTitle, double top,
                           List<Series> series) {
    heading(sb, title);
    int bottom = TOP + PLOT_HEIGHT;
    for (int t = 0; t <= 4; t++) {
      double v = top * t / 4;
      double y = y(v, top);
      sb.append("<line class=\"grid\" x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT)
          .append("\" y1=\"").append(f(y)).append("\" y2=\"").append(f(y)).append("\" stroke=\"#ddd\"/>");
      sb.append("<text class=\"tick\" x=\"").append(LEFT - 6).append("\" y=\"").append(f(y + 4))
          .append("\" text-anchor=\"end\">").append(number(v)).append("</text>");
    }
    sb.append("<line class=\"axis\" x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT).append("\" y1=\"")
        .append(bottom).append("\" y2=\"").append(bottom).append("\" stroke=\"#333\"/>");
    sb.append("<text class=\"axis-title\" x=\"").append(LEFT + plotWidth() / 2).append("\" y=\"")
        .append(bottom + 38).append("\" text-anchor=\"middle\">").append(Html.escape(xTitle)).append("</text>");
    sb.append("<text class=\"axis-title\" transform=\"rotate(-90)\" x=\"").append(-(TOP + PLOT_HEIGHT / 2))
        .append("\" y=\"14\" text-anchor=\"middle\">").append(Html.escape(yTitle)).append("</text>");
    if (series.size() > 1 || !series.isEmpty() && !series.get(0).name().isEmpty()) {
      double x = LEFT;
      for (Series s : series) {
        sb.append("<rect class=\"legend\" x=\"").append(f(x)).append("\" y=\"28\" width=\"10\" height=\"10\" fill=\"")
            .append(s.color()).append("\"/><text class=\"legend\" x=\"").append(f(x + 14))
            .append("\" y=\"37\">").append(Html.shortened(s.name(), 36)).append("</text>");
        x += 24 + 7 * Math.min(36, s.name().length());
      }
    }
  }

  private static void categoryLabels(StringBuilder sb, List<String> categories, double step) {
    int every = Math.max(1, (int) Math.ceil(categories.size() * 28.0 / plotWidth()));
    for (int i = 0; i < categories.size(); i += every) {
      sb.append("<text class=\"tick\" x=\"").append(f(LEFT + i * step + step / 2)).append("\" y=\"")
          .append(TOP + PLOT_HEIGHT + 16).append("\" text-anchor=\"middle\">").append(Html.escape(categories.get(i)))
          .append("</text>");
    }
  }

  private static int plotWidth() {
    return WIDTH - LEFT - RIGHT;
  }

  private static double y(double v, double top) {
    return TOP + PLOT_HEIGHT - (top == 0 ? 0 : PLOT_HEIGHT * v / top);
  }

  /** The smallest 1, 2 or 5 x 10^k at or above {@code v} (at least 1). */
  static double niceCeil(double v) {
    if (v <= 1) {
      return 1;
    }
    double p = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 2, 5, 10}) {
      if (m * p >= v) {
        return m * p;
      }
    }
    return 10 * p;
  }

  /** Integers without decimals, others with up to 1 (SVG text; locale-independent). */
  static String number(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, "%.1f", v);
  }

  private static String f(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
