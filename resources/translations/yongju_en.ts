<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>BackupCounts</name>
    <message numerus="yes">
        <source>%n document(s)</source>
        <translation>
            <numerusform>%n document</numerusform><numerusform>%n documents</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n case(s)</source>
        <translation>
            <numerusform>%n case</numerusform><numerusform>%n cases</numerusform></translation>
    </message>
</context>
<context>
    <name>ChecklistView</name>
    <message numerus="yes">
        <source>%n requirement(s) still open</source>
        <translation>
            <numerusform>%n requirement still open</numerusform><numerusform>%n requirements still open</numerusform></translation>
    </message>
</context>
<context>
    <name>DocumentActions</name>
    <message numerus="yes">
        <source>Delete %n document(s) from Yongju?</source>
        <translation>
            <numerusform>Delete %n document from Yongju?</numerusform><numerusform>Delete %n documents from Yongju?</numerusform></translation>
    </message>
</context>
<context>
    <name>DocumentGrid</name>
    <message numerus="yes">
        <source>%n document(s)</source>
        <translation>
            <numerusform>%n document</numerusform><numerusform>%n documents</numerusform></translation>
    </message>
</context>
<context>
    <name>DocumentModel</name>
    <message numerus="yes">
        <source>%n page(s)</source>
        <translation>
            <numerusform>%n page</numerusform><numerusform>%n pages</numerusform></translation>
    </message>
</context>
<context>
    <name>ExportHistoryButton</name>
    <message numerus="yes">
        <source>%n packet(s) exported for this case</source>
        <translation>
            <numerusform>%n packet exported for this case</numerusform><numerusform>%n packets exported for this case</numerusform></translation>
    </message>
</context>
<context>
    <name>ImportFlow</name>
    <message numerus="yes">
        <source>Importing %n item(s)</source>
        <translation>
            <numerusform>Importing %n item</numerusform><numerusform>Importing %n items</numerusform></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <source>%n new document(s) from the watched folder are in the inbox.</source>
        <translation>
            <numerusform>%n new document from the watched folder is in the inbox.</numerusform><numerusform>%n new documents from the watched folder are in the inbox.</numerusform></translation>
    </message>
</context>
<context>
    <name>RefusedDialog</name>
    <message numerus="yes">
        <source>%n file(s) could not be imported.</source>
        <translation>
            <numerusform>%n file could not be imported.</numerusform><numerusform>%n files could not be imported.</numerusform></translation>
    </message>
</context>
<context>
    <name>TileDelegate</name>
    <message numerus="yes">
        <source>%n p</source>
        <comment>pages, on a tile's badge</comment>
        <translation>
            <numerusform>%n p</numerusform><numerusform>%n p</numerusform></translation>
    </message>
</context>
</TS>