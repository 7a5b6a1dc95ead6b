<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR" sourcelanguage="fr_FR">
<context>
    <name>Counting</name>
    <message numerus="yes">
        <source>%n case(s) à décider</source>
        <translation>
            <numerusform>%n case à décider</numerusform>
            <numerusform>%n cases à décider</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n bulletin(s) à examiner</source>
        <translation>
            <numerusform>%n bulletin à examiner</numerusform>
            <numerusform>%n bulletins à examiner</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n feuille(s) rejetée(s).</source>
        <translation>
            <numerusform>%n feuille rejetée.</numerusform>
            <numerusform>%n feuilles rejetées.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n fichier(s) ajouté(s)</source>
        <translation>
            <numerusform>%n fichier ajouté</numerusform>
            <numerusform>%n fichiers ajoutés</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n déjà lu(s) ignoré(s)</source>
        <translation>
            <numerusform>%n déjà lu ignoré</numerusform>
            <numerusform>%n déjà lus ignorés</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n fichier(s) en attente</source>
        <translation>
            <numerusform>%n fichier en attente</numerusform>
            <numerusform>%n fichiers en attente</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n seconde(s)</source>
        <translation>
            <numerusform>%n seconde</numerusform>
            <numerusform>%n secondes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n minute</numerusform>
            <numerusform>%n minutes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n feuille(s)</source>
        <translation>
            <numerusform>%n feuille</numerusform>
            <numerusform>%n feuilles</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>feuille(s) lue(s)</source>
        <translation>
            <numerusform>feuille lue</numerusform>
            <numerusform>feuilles lues</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>comptée(s)</source>
        <translation>
            <numerusform>comptée</numerusform>
            <numerusform>comptées</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>bulletin(s) à examiner</source>
        <translation>
            <numerusform>bulletin à examiner</numerusform>
            <numerusform>bulletins à examiner</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>rejetée(s)</source>
        <translation>
            <numerusform>rejetée</numerusform>
            <numerusform>rejetées</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>doublon(s)</source>
        <translation>
            <numerusform>doublon</numerusform>
            <numerusform>doublons</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n votant(s)</source>
        <translation>
            <numerusform>%n votant</numerusform>
            <numerusform>%n votants</numerusform>
        </translation>
    </message>
</context>
</TS>
