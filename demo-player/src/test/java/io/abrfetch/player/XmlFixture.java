package io.abrfetch.player;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/** Test fixture: strict, offline XML parsing of the reports' markup. */
final class XmlFixture {
  static final String SVG_NS = "http://www.w3.org/2000/svg";
  static final String XHTML_NS = "http://www.w3.org/1999/xhtml";

  private XmlFixture() {}

  /** Parses {@code xml}, failing on any error or warning; never loads anything external. */
  static Document parse(String xml) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    factory.setExpandEntityReferences(false);
    factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
    factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
    DocumentBuilder builder = factory.newDocumentBuilder();
    builder.setErrorHandler(new DefaultHandler() {
      @Override
      public void warning(SAXParseException e) throws SAXParseException {
        throw e;
      }

      @Override
      public void error(SAXParseException e) throws SAXParseException {
        throw e;
      }
    });
    return builder.parse(new InputSource(new StringReader(xml)));
  }

  /** The elements named {@code localName} in {@code namespace} with class {@code cssClass}. */
  static List<Element> byClass(Element root, String namespace, String localName, String cssClass) {
    List<Element> found = new ArrayList<>();
    NodeList nodes = root.getElementsByTagNameNS(namespace, localName);
    for (int i = 0; i < nodes.getLength(); i++) {
      Element e = (Element) nodes.item(i);
      if (cssClass.equals(e.getAttribute("class"))) {
        found.add(e);
      }
    }
    return found;
  }

  /** The text content of every element named {@code localName} under {@code root}. */
  static List<String> texts(Element root, String namespace, String localName) {
    List<String> texts = new ArrayList<>();
    NodeList nodes = root.getElementsByTagNameNS(namespace, localName);
    for (int i = 0; i < nodes.getLength(); i++) {
      texts.add(nodes.item(i).getTextContent());
    }
    return texts;
  }

  /** Every {@code <svg>...</svg>} element of an HTML page, as its own string. */
  static List<String> svgParts(String html) {
    List<String> parts = new ArrayList<>();
    int from = 0;
    while (true) {
      int start = html.indexOf("<svg", from);
      if (start < 0) {
        return parts;
      }
      int end = html.indexOf("</svg>", start);
      if (end < 0) {
        throw new AssertionError("unclosed <svg> at " + start);
      }
      parts.add(html.substring(start, end + "</svg>".length()));
      from = end;
    }
  }
}
