package io.pcaplake.spark.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.pcaplake.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * report.html rendered by headless Chromium ({@link Chromium}, DevTools protocol): every chart drew (its title is
 * there, it has marks and a size), the page logged no error, and the hostile client's URI, Host and User-Agent
 * ({@link ReportLake}: {@code <script>}, quotes, {@code &}, {@code </svg>}, {@code onload}/{@code onerror}) are
 * text in the DOM, not elements: no script element, no event-handler attribute, no img, no nested svg.
 *
 * <p>Without {@code /usr/bin/chromium} the test is skipped with a message, unless {@code PCAPLAKE_REQUIRE_CHROMIUM}
 * is set (as {@code scripts/test} does after {@code scripts/install-test-deps}): then it fails. A Chromium that is
 * there but does not start always fails the test.
 */
class ReportHtmlChromiumTest {
  static final String PAGE = """
      (() => {
        const svgs = [...document.querySelectorAll('svg')];
        return {
          scripts: document.querySelectorAll('script').length,
          handlers: [...document.querySelectorAll('*')]
              .filter(e => [...e.attributes].some(a => a.name.toLowerCase().startsWith('on'))).length,
          embedded: document.querySelectorAll('img, iframe, object, embed, link, foreignObject').length,
          nestedSvgs: document.querySelectorAll('svg svg').length,
          noData: document.querySelectorAll('#no-data').length,
          charts: svgs.map(s => {
            const t = s.querySelector(':scope > title');
            const r = s.getBoundingClientRect();
            return {title: t ? t.textContent : '', marks: s.querySelectorAll('.mark').length,
                    width: r.width, height: r.height, drawnWidth: s.getBBox().width};
          }),
          cells: [...document.querySelectorAll('td')].map(td => td.textContent),
          svgTitles: [...document.querySelectorAll('svg title')].map(t => t.textContent)
        };
      })()
      """;

  static ReportLake.Built lake;

  @BeforeAll
  static void chromiumOrSkip() {
    if (!Files.isExecutable(Chromium.BINARY)) {
      if (System.getenv("PCAPLAKE_REQUIRE_CHROMIUM") != null) {
        fail(Chromium.BINARY + " is missing and PCAPLAKE_REQUIRE_CHROMIUM is set (run scripts/install-test-deps)");
      }
      Assumptions.abort("SKIPPED: " + Chromium.BINARY + " is missing; run scripts/install-test-deps (Debian"
          + " chromium) or set PCAPLAKE_REQUIRE_CHROMIUM to make this a failure");
    }
    lake = ReportLake.get();
  }

  @Test
  void chartsDrawNoErrorsAndCaptureTextStaysText() throws Exception {
    ReportJob.run(TestSpark.get(), new ReportOptions(lake.lake(), List.of(LocalDate.parse(ReportLake.DAY1)), false,
        Instant.parse("2026-01-01T00:00:00Z"), "t"));
    Path html = Path.of(lake.lake(), "reports/dt=" + ReportLake.DAY1, "report.html");
    try (Chromium c = Chromium.start()) {
      c.navigate(html.toUri().toString());
      JsonNode page = c.evaluate(PAGE);
      assertEquals(0, page.get("scripts").asInt(), "script elements");
      assertEquals(0, page.get("handlers").asInt(), "elements with on* attributes");
      assertEquals(0, page.get("embedded").asInt(), "img/iframe/object/embed/link/foreignObject elements");
      assertEquals(0, page.get("nestedSvgs").asInt(), "svg inside svg");
      assertEquals(0, page.get("noData").asInt());

      Set<String> titles = new TreeSet<>();
      for (JsonNode chart : page.get("charts")) {
        String title = chart.get("title").asText();
        titles.add(title);
        assertTrue(chart.get("marks").asInt() > 0, "chart without marks: " + title);
        assertTrue(chart.get("width").asDouble() > 100 && chart.get("height").asDouble() > 50, "size: " + chart);
        assertTrue(chart.get("drawnWidth").asDouble() > 100, "drawn: " + chart);
      }
      assertEquals(new TreeSet<>(List.of(ReportPage.REQUESTS, ReportPage.AUTH, ReportPage.ENDPOINT_ERRORS,
          ReportPage.LATENCY, ReportPage.TALKERS_REQUESTS, ReportPage.TALKERS_BYTES, ReportPage.ANOMALIES,
          ReportPage.COVERAGE)), titles);

      List<String> cells = new ArrayList<>();
      page.get("cells").forEach(n -> cells.add(n.asText()));
      assertTrue(cells.contains(ReportLake.HOSTILE_PATH), "URI as text in a cell");
      assertTrue(cells.contains(ReportLake.HOSTILE_HOST), "Host as text in a cell");
      assertTrue(cells.stream().anyMatch(s -> s.contains(ReportLake.HOSTILE_UA)), "User-Agent as text in a cell");
      List<String> svgTitles = new ArrayList<>();
      page.get("svgTitles").forEach(n -> svgTitles.add(n.asText()));
      assertTrue(svgTitles.stream().anyMatch(s -> s.startsWith(ReportLake.HOSTILE_HOST + ReportLake.HOSTILE_PATH)),
          "the endpoint label as text inside SVG <title>: " + svgTitles);
      assertEquals(List.of(), c.errors(), "console errors");

      // The empty day's page: says so, draws nothing, logs nothing.
      ReportJob.run(TestSpark.get(), ReportOptions.day(lake.lake(), LocalDate.parse("2024-03-21")));
      c.navigate(Path.of(lake.lake(), "reports/dt=2024-03-21/report.html").toUri().toString());
      JsonNode empty = c.evaluate(PAGE);
      assertEquals(1, empty.get("noData").asInt());
      assertEquals(0, empty.get("charts").size());
      assertEquals(List.of(), c.errors(), "console errors");
    }
  }
}
