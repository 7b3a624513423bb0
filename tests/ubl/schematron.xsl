<?xml version="1.0" encoding="UTF-8"?>
<!-- schematron.xsl: compiles an ISO Schematron schema with queryBinding
     xslt2 (as OpenPEPPOL's PEPPOL-EN16931-UBL.sch and CEN-EN16931-UBL.sch
     are) into an XSLT 2.0 stylesheet that checks a document and writes one
     line per failed assert: FLAG<TAB>ID<TAB>PATH<TAB>TEXT.

     The parts of ISO Schematron those schemas use: ns, schema- and
     pattern-level let (global variables: patterns match on them), pattern,
     rule/@context, rule-level let, assert/@test, @flag, @id, and XSLT
     functions placed in the schema. Semantics kept: within one pattern a
     node is checked by the first rule whose context matches it (template
     priorities follow the rules' order); every pattern sees every node,
     attributes too. Anything else (report, abstract patterns, phases,
     includes, value-of in messages) stops the compile with a message rather
     than being skipped, so a schema this does not understand cannot pass by
     omission. -->
<xsl:stylesheet version="2.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:sch="http://purl.oclc.org/dsdl/schematron" xmlns:axsl="urn:sow:alias"
  exclude-result-prefixes="sch">
  <xsl:namespace-alias stylesheet-prefix="axsl" result-prefix="xsl"/>
  <xsl:output method="xml" indent="yes"/>

  <xsl:template match="/sch:schema">
    <xsl:for-each select="//sch:report | //sch:pattern[@abstract | @is-a] | //sch:include | //sch:extends
                          | //sch:assert/sch:* | //sch:rule[@abstract]">
      <xsl:message terminate="yes">schematron.xsl: <xsl:value-of select="name()"/> is not supported</xsl:message>
    </xsl:for-each>
    <axsl:stylesheet version="2.0">
      <xsl:for-each select="sch:ns">
        <xsl:namespace name="{@prefix}" select="string(@uri)"/>
      </xsl:for-each>
      <axsl:output method="text"/>
      <xsl:copy-of select="*[namespace-uri() = 'http://www.w3.org/1999/XSL/Transform']"/>
      <xsl:for-each select="sch:let | sch:pattern/sch:let">
        <axsl:variable name="{@name}" select="{@value}"/>
      </xsl:for-each>
      <axsl:template match="/">
        <xsl:for-each select="sch:pattern">
          <axsl:apply-templates select="." mode="p{position()}"/>
        </xsl:for-each>
      </axsl:template>
      <xsl:for-each select="sch:pattern">
        <xsl:variable name="mode" select="concat('p', position())"/>
        <xsl:variable name="n" select="count(sch:rule)"/>
        <xsl:for-each select="sch:rule">
          <axsl:template match="{@context}" mode="{$mode}" priority="{$n - position() + 1}">
            <xsl:for-each select="sch:let">
              <axsl:variable name="{@name}" select="{@value}"/>
            </xsl:for-each>
            <xsl:for-each select="sch:assert">
              <axsl:if test="not({@test})">
                <axsl:text><xsl:value-of select="(@flag, 'error')[1]"/><xsl:text>&#9;</xsl:text><xsl:value-of select="@id"/><xsl:text>&#9;</xsl:text></axsl:text>
                <axsl:value-of select="string-join(for $a in ancestor-or-self::node() return
                  (if ($a instance of attribute()) then concat('@', name($a))
                   else if ($a instance of element())
                   then concat(name($a), '[', count($a/preceding-sibling::*[node-name(.) = node-name($a)]) + 1, ']')
                   else ''), '/')"/>
                <axsl:text><xsl:text>&#9;</xsl:text><xsl:value-of select="normalize-space(.)"/><xsl:text>&#10;</xsl:text></axsl:text>
              </axsl:if>
            </xsl:for-each>
            <axsl:apply-templates select="@* | node()" mode="{$mode}"/>
          </axsl:template>
        </xsl:for-each>
        <axsl:template match="node() | @*" mode="{$mode}" priority="-10">
          <axsl:apply-templates select="@* | node()" mode="{$mode}"/>
        </axsl:template>
      </xsl:for-each>
    </axsl:stylesheet>
  </xsl:template>
</xsl:stylesheet>
