package io.pcaplake.fuzz;

import static io.pcaplake.fuzz.FuzzSupport.check;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.pcaplake.flow.ConnectionRecord;
import io.pcaplake.flow.DirectionReport;
import io.pcaplake.flow.FlowKey;
import io.pcaplake.report.ReportXmlWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * report.xml with arbitrary strings in every string field: program, version, command line, file-name prefix, host,
 * addresses (the records' and the directions'), flow id, community id, connection state, history, family and the
 * abort reason. Strings are read from the input either as UTF-16 code units (lone surrogates, U+FFFE, controls) or as
 * UTF-8. Up to 4 connections are written, then the report is closed or aborted mid-way.
 *
 * <p>Checks: the JDK DOM parser (namespace aware, no DTDs) accepts the document; its root is {@code dfxml}; the
 * command line, the flow ids and the abort reason read back equal to the input with only XML-forbidden characters
 * replaced by U+FFFD; the fileobject count is two per connection written (both directions sent packets).
 */
class ReportXmlFuzzTest {
  private static final FlowKey KEY = FlowKey.of("10.0.0.1", 1234, "10.0.0.2", 80, 6, 7);

  @FuzzTest(maxDuration = "2m")
  void fuzz(byte[] data) throws Exception {
    FuzzSupport.In in = new FuzzSupport.In(data);
    int mode = in.u8();
    boolean utf16 = (mode & 1) != 0;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String commandLine = str(in, utf16);
    ReportXmlWriter.Options options = new ReportXmlWriter.Options(str(in, utf16), str(in, utf16), commandLine,
        str(in, utf16), Instant.ofEpochSecond(CaptureBuilder.BASE_SECONDS), (mode & 2) != 0 ? str(in, utf16) : null);
    ReportXmlWriter w = new ReportXmlWriter(out, options);
    int connections = in.u8() % 5;
    String[] flowIds = new String[connections];
    for (int i = 0; i < connections; i++) {
      flowIds[i] = str(in, utf16);
      w.connection(record(in, utf16, flowIds[i], i));
      w.countPackets(in.u8());
    }
    String abort = (mode & 4) != 0 ? str(in, utf16) : null;
    if (abort != null) {
      w.abort(abort);
    } else {
      w.close();
    }
    byte[] xml = out.toByteArray();
    Document doc = parse(xml);
    Element root = doc.getDocumentElement();
    check("dfxml".equals(root.getLocalName()), "root " + root.getLocalName());
    check(xmlSafe(commandLine).equals(text(doc, "command_line")), "command_line changed");
    org.w3c.dom.NodeList objs = doc.getElementsByTagNameNS("*", "fileobject");
    check(objs.getLength() == 2 * connections, objs.getLength() + " fileobjects for " + connections + " connections");
    org.w3c.dom.NodeList flows = doc.getElementsByTagNameNS("*", "tcpflow");
    for (int i = 0; i < flows.getLength(); i++) {
      String id = ((Element) flows.item(i)).getAttributeNS(ReportXmlWriter.NAMESPACE, "flow_id");
      check(xmlSafe(flowIds[i / 2]).equals(id), "flow_id attribute changed");
    }
    if (abort != null) {
      check(xmlSafe(abort).equals(text(doc, "aborted")), "abort reason changed");
    }
  }

  private static ConnectionRecord record(FuzzSupport.In in, boolean utf16, String flowId, int index) {
    String clientIp = str(in, utf16);
    String serverIp = str(in, utf16);
    long ts = CaptureBuilder.BASE_SECONDS * 1_000_000_000L + in.u32() * 1000L;
    DirectionReport c = new DirectionReport(true, clientIp, in.u16(), serverIp, in.u16(), ts, ts + 5, 3, 300, 300,
        in.u32(), -1, in.u16(), in.u8(), in.u8(), in.u8());
    DirectionReport s = new DirectionReport(false, str(in, utf16), in.u16(), str(in, utf16), in.u16(), ts, ts + 9, 2,
        200, 100, -1, in.u32(), in.u16(), 0, 0, 0);
    return new ConnectionRecord(flowId, str(in, utf16), index, ts, ts + 9, 0.009, str(in, utf16), clientIp, 1234,
        serverIp, 80, 7, 3, 2, 300, 200, 0, 0, 0, 0, true, false, false, str(in, utf16), str(in, utf16),
        List.of(str(in, utf16)), KEY, c, s);
  }

  /** A length byte, then that many UTF-16 code units (2 bytes each) or UTF-8 bytes. */
  static String str(FuzzSupport.In in, boolean utf16) {
    int n = in.u8();
    if (!utf16) {
      return new String(in.bytes(n), StandardCharsets.UTF_8);
    }
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n && in.more(); i++) {
      sb.append((char) in.u16());
    }
    return sb.toString();
  }

  /** What the writer promises to keep: every character XML 1.0 allows; the others become U+FFFD. */
  static String xmlSafe(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (Character.isHighSurrogate(ch) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        sb.append(ch).append(s.charAt(++i));
      } else if ((ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') || Character.isSurrogate(ch) || ch == 0xfffe
          || ch == 0xffff) {
        sb.append('\ufffd');
      } else {
        sb.append(ch);
      }
    }
    return sb.toString();
  }

  private static String text(Document doc, String localName) {
    org.w3c.dom.NodeList l = doc.getElementsByTagNameNS("*", localName);
    check(l.getLength() == 1, l.getLength() + " <" + localName + "> elements");
    return l.item(0).getTextContent();
  }

  static Document parse(byte[] xml) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    DocumentBuilder b = f.newDocumentBuilder();
    b.setErrorHandler(new DefaultHandler() {
      @Override
      public void error(org.xml.sax.SAXParseException e) throws SAXException {
        throw e;
      }
    });
    try {
      return b.parse(new ByteArrayInputStream(xml));
    } catch (SAXException | IOException e) {
      throw new AssertionError("not well-formed: " + e.getMessage() + "\n" + new String(xml, StandardCharsets.UTF_8),
          e);
    }
  }
}
