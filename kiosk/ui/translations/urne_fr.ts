<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr" sourcelanguage="fr">
  <context>
    <name>ChoiceCard</name>
    <message>
      <source>En savoir plus</source>
      <translation>En savoir plus</translation>
    </message>
    <message>
      <source>Moins</source>
      <translation>Moins</translation>
    </message>
    <message>
      <source>✓ Choisi</source>
      <translation>✓ Choisi</translation>
    </message>
    <message>
      <source>Choisir</source>
      <translation>Choisir</translation>
    </message>
    <message>
      <source>Touchez pour enlever</source>
      <translation>Touchez pour enlever</translation>
    </message>
  </context>
  <context>
    <name>ChoosingScreen</name>
    <message>
      <source>Tout</source>
      <translation>Tout</translation>
    </message>
  </context>
  <context>
    <name>IdleScreen</name>
    <message>
      <source>Êtes-vous toujours là ?</source>
      <translation>Êtes-vous toujours là ?</translation>
    </message>
    <message>
      <source>Sans réponse, votre vote sera effacé dans {s} secondes.</source>
      <translation>Sans réponse, votre vote sera effacé dans {s} secondes.</translation>
    </message>
    <message>
      <source>Oui, je continue</source>
      <translation>Oui, je continue</translation>
    </message>
  </context>
  <context>
    <name>Keyboard</name>
    <message>
      <source>espace</source>
      <translation>espace</translation>
    </message>
    <message>
      <source>effacer</source>
      <translation>effacer</translation>
    </message>
  </context>
  <context>
    <name>PinScreen</name>
    <message>
      <source>Annuler</source>
      <translation>Annuler</translation>
    </message>
    <message>
      <source>Choisissez le code du personnel (6 chiffres).</source>
      <translation>Choisissez le code du personnel (6 chiffres).</translation>
    </message>
    <message>
      <source>Tapez le même code encore une fois.</source>
      <translation>Tapez le même code encore une fois.</translation>
    </message>
    <message>
      <source>Code du personnel</source>
      <translation>Code du personnel</translation>
    </message>
    <message numerus="yes">
      <source>Attendez %n minute(s) avant d'essayer encore.</source>
      <translation>
        <numerusform>Attendez %n minute avant d'essayer encore.</numerusform>
        <numerusform>Attendez %n minutes avant d'essayer encore.</numerusform>
      </translation>
    </message>
    <message>
      <source>Attendez {s} s avant d'essayer encore.</source>
      <translation>Attendez {s} s avant d'essayer encore.</translation>
    </message>
    <message>
      <source>Code faux. Essayez encore.</source>
      <translation>Code faux. Essayez encore.</translation>
    </message>
    <message>
      <source>Ce code est trop facile à deviner. Choisissez-en un autre.</source>
      <translation>Ce code est trop facile à deviner. Choisissez-en un autre.</translation>
    </message>
    <message>
      <source>Les deux codes sont différents. Recommencez.</source>
      <translation>Les deux codes sont différents. Recommencez.</translation>
    </message>
    <message>
      <source>Trop d'erreurs : le code est bloqué. Pour le débloquer : « Code de secours » (enveloppe du personnel), ou sur une console : urne kiosk --set-pin. Le vote continue : touchez « Annuler ».</source>
      <translation>Trop d'erreurs : le code est bloqué. Pour le débloquer : « Code de secours » (enveloppe du personnel), ou sur une console : urne kiosk --set-pin. Le vote continue : touchez « Annuler ».</translation>
    </message>
    <message>
      <source>Code de secours</source>
      <translation>Code de secours</translation>
    </message>
    <message>
      <source>C'est noté</source>
      <translation>C'est noté</translation>
    </message>
    <message>
      <source>Notez-le pour l'enveloppe du personnel, hors de la vue des électeurs : il sert une fois, à débloquer le code sur cette borne, et ne sera plus affiché.</source>
      <translation>Notez-le pour l'enveloppe du personnel, hors de la vue des électeurs : il sert une fois, à débloquer le code sur cette borne, et ne sera plus affiché.</translation>
    </message>
    <message>
      <source>Code de secours (12 chiffres, dans l'enveloppe du personnel)</source>
      <translation>Code de secours (12 chiffres, dans l'enveloppe du personnel)</translation>
    </message>
    <message>
      <source>Code de secours refusé.</source>
      <translation>Code de secours refusé.</translation>
    </message>
    <message>
      <source>Code faux.</source>
      <translation>Code faux.</translation>
    </message>
    <message>
      <source>Code de secours faux.</source>
      <translation>Code de secours faux.</translation>
    </message>
    <message>
      <source>Code de secours faux. Essayez encore.</source>
      <translation>Code de secours faux. Essayez encore.</translation>
    </message>
  </context>
  <context>
    <name>QuestionScreen</name>
    <message>
      <source>Question {n} sur {total}</source>
      <translation>Question {n} sur {total}</translation>
    </message>
    <message>
      <source>Retour</source>
      <translation>Retour</translation>
    </message>
    <message>
      <source>Revenir au récapitulatif</source>
      <translation>Revenir au récapitulatif</translation>
    </message>
    <message>
      <source>Question suivante</source>
      <translation>Question suivante</translation>
    </message>
    <message>
      <source>Voir mon vote</source>
      <translation>Voir mon vote</translation>
    </message>
  </context>
  <context>
    <name>RankRow</name>
    <message>
      <source>Monter</source>
      <translation>Monter</translation>
    </message>
    <message>
      <source>Descendre</source>
      <translation>Descendre</translation>
    </message>
    <message>
      <source>Enlever</source>
      <translation>Enlever</translation>
    </message>
  </context>
  <context>
    <name>RankingScreen</name>
    <message>
      <source>Votre classement</source>
      <translation>Votre classement</translation>
    </message>
    <message>
      <source>Touchez « Ajouter » sur vos choix, dans l'ordre que vous préférez.</source>
      <translation>Touchez « Ajouter » sur vos choix, dans l'ordre que vous préférez.</translation>
    </message>
    <message>
      <source>Les autres choix</source>
      <translation>Les autres choix</translation>
    </message>
    <message>
      <source>Ajouter</source>
      <translation>Ajouter</translation>
    </message>
  </context>
  <context>
    <name>RegisterScreen</name>
    <message>
      <source>Avant de voter</source>
      <translation>Avant de voter</translation>
    </message>
    <message>
      <source>Le bénévole vérifie et coche les trois cases.</source>
      <translation>Le bénévole vérifie et coche les trois cases.</translation>
    </message>
    <message>
      <source>La personne habite la commune.</source>
      <translation>La personne habite la commune.</translation>
    </message>
    <message>
      <source>La personne a le droit de voter.</source>
      <translation>La personne a le droit de voter.</translation>
    </message>
    <message>
      <source>La personne n'a pas encore voté.</source>
      <translation>La personne n'a pas encore voté.</translation>
    </message>
    <message>
      <source>Écrivez vos informations. Elles servent seulement à éviter de voter deux fois.</source>
      <translation>Écrivez vos informations. Elles servent seulement à éviter de voter deux fois.</translation>
    </message>
    <message>
      <source>Nom</source>
      <translation>Nom</translation>
    </message>
    <message>
      <source>Prénom</source>
      <translation>Prénom</translation>
    </message>
    <message>
      <source>Date de naissance</source>
      <translation>Date de naissance</translation>
    </message>
    <message>
      <source>Code postal</source>
      <translation>Code postal</translation>
    </message>
    <message>
      <source>JJ/MM/AAAA</source>
      <translation>JJ/MM/AAAA</translation>
    </message>
    <message>
      <source>Retour</source>
      <translation>Retour</translation>
    </message>
    <message>
      <source>Continuer</source>
      <translation>Continuer</translation>
    </message>
  </context>
  <context>
    <name>ReviewScreen</name>
    <message>
      <source>Votre vote</source>
      <translation>Votre vote</translation>
    </message>
    <message>
      <source>Vérifiez vos choix. Vous pouvez encore les changer.</source>
      <translation>Vérifiez vos choix. Vous pouvez encore les changer.</translation>
    </message>
    <message>
      <source>Total : {spent} sur {budget}</source>
      <translation>Total : {spent} sur {budget}</translation>
    </message>
    <message>
      <source>Modifier</source>
      <translation>Modifier</translation>
    </message>
    <message>
      <source>Valider mon vote</source>
      <translation>Valider mon vote</translation>
    </message>
    <message>
      <source>Il manque quelque chose : regardez les messages ci-dessus.</source>
      <translation>Il manque quelque chose : regardez les messages ci-dessus.</translation>
    </message>
  </context>
  <context>
    <name>ScrollPanel</name>
    <message>
      <source>Monter la liste</source>
      <translation>Monter la liste</translation>
    </message>
    <message>
      <source>Descendre la liste</source>
      <translation>Descendre la liste</translation>
    </message>
  </context>
  <context>
    <name>Staff</name>
    <message>
      <source>Sauvegarde vérifiée : {n} bulletins dans {path}</source>
      <translation>Sauvegarde vérifiée : {n} bulletins dans {path}</translation>
    </message>
    <message>
      <source>Fichier de synchronisation écrit : {n} bulletins dans {path}</source>
      <translation>Fichier de synchronisation écrit : {n} bulletins dans {path}</translation>
    </message>
    <message>
      <source>Échec : {problem}</source>
      <translation>Échec : {problem}</translation>
    </message>
    <message>
      <source>{n} bulletins vierges en PDF sur la clé : {path}</source>
      <translation>{n} bulletins vierges en PDF sur la clé : {path}</translation>
    </message>
    <message>
      <source>{n} bulletins vierges envoyés à l'imprimante</source>
      <translation>{n} bulletins vierges envoyés à l'imprimante</translation>
    </message>
  </context>
  <context>
    <name>StaffMenu</name>
    <message>
      <source>pas encore ouvert</source>
      <translation>pas encore ouvert</translation>
    </message>
    <message>
      <source>ouvert</source>
      <translation>ouvert</translation>
    </message>
    <message>
      <source>en pause</source>
      <translation>en pause</translation>
    </message>
    <message>
      <source>fermé</source>
      <translation>fermé</translation>
    </message>
    <message>
      <source>Menu du personnel</source>
      <translation>Menu du personnel</translation>
    </message>
    <message>
      <source>Vote : {state}</source>
      <translation>Vote : {state}</translation>
    </message>
    <message>
      <source>Bulletins enregistrés : {ballots} · Inscrits : {register}</source>
      <translation>Bulletins enregistrés : {ballots} · Inscrits : {register}</translation>
    </message>
    <message>
      <source>Ouvrir le vote</source>
      <translation>Ouvrir le vote</translation>
    </message>
    <message>
      <source>Mettre en pause</source>
      <translation>Mettre en pause</translation>
    </message>
    <message>
      <source>Touchez encore pour fermer</source>
      <translation>Touchez encore pour fermer</translation>
    </message>
    <message>
      <source>Fermer le vote</source>
      <translation>Fermer le vote</translation>
    </message>
    <message>
      <source>Voir les résultats</source>
      <translation>Voir les résultats</translation>
    </message>
    <message>
      <source>Sauvegarder sur clé USB</source>
      <translation>Sauvegarder sur clé USB</translation>
    </message>
    <message>
      <source>Exporter pour la synchronisation</source>
      <translation>Exporter pour la synchronisation</translation>
    </message>
    <message>
      <source>Imprimer 20 bulletins vierges</source>
      <translation>Imprimer 20 bulletins vierges</translation>
    </message>
    <message>
      <source>Touchez encore pour quitter</source>
      <translation>Touchez encore pour quitter</translation>
    </message>
    <message>
      <source>Quitter Urne</source>
      <translation>Quitter Urne</translation>
    </message>
    <message>
      <source>Retour à l'accueil</source>
      <translation>Retour à l'accueil</translation>
    </message>
    <message>
      <source>Touchez encore pour rouvrir</source>
      <translation>Touchez encore pour rouvrir</translation>
    </message>
    <message>
      <source>Touchez encore pour ouvrir</source>
      <translation>Touchez encore pour ouvrir</translation>
    </message>
    <message>
      <source>Rouvrir le vote</source>
      <translation>Rouvrir le vote</translation>
    </message>
    <message>
      <source>Aucune clé USB trouvée. Branchez une clé, attendez quelques secondes, puis touchez encore.</source>
      <translation>Aucune clé USB trouvée. Branchez une clé, attendez quelques secondes, puis touchez encore.</translation>
    </message>
    <message>
      <source>Sur la clé « {name} »</source>
      <translation>Sur la clé « {name} »</translation>
    </message>
    <message>
      <source>Sur l'imprimante…</source>
      <translation>Sur l'imprimante…</translation>
    </message>
    <message>
      <source>En PDF sur la clé « {name} »</source>
      <translation>En PDF sur la clé « {name} »</translation>
    </message>
    <message>
      <source>Le vote est fermé. Le rouvrir sera noté dans le journal.</source>
      <translation>Le vote est fermé. Le rouvrir sera noté dans le journal.</translation>
    </message>
    <message>
      <source>Attention : le vote ne commence que le {date}.</source>
      <translation>Attention : le vote ne commence que le {date}.</translation>
    </message>
    <message>
      <source>Attention : le vote s'est terminé le {date}.</source>
      <translation>Attention : le vote s'est terminé le {date}.</translation>
    </message>
    <message>
      <source>Rien n'a changé : l'état du vote a changé entre-temps. Regardez l'état ci-dessus.</source>
      <translation>Rien n'a changé : l'état du vote a changé entre-temps. Regardez l'état ci-dessus.</translation>
    </message>
    <message>
      <source>Choisissez d'abord le code du personnel.</source>
      <translation>Choisissez d'abord le code du personnel.</translation>
    </message>
  </context>
  <context>
    <name>ThanksScreen</name>
    <message>
      <source>Merci !</source>
      <translation>Merci !</translation>
    </message>
    <message>
      <source>Votre vote est enregistré.</source>
      <translation>Votre vote est enregistré.</translation>
    </message>
    <message>
      <source>Retour à l'accueil dans {s} s.</source>
      <translation>Retour à l'accueil dans {s} s.</translation>
    </message>
    <message>
      <source>Terminer</source>
      <translation>Terminer</translation>
    </message>
  </context>
  <context>
    <name>WelcomeScreen</name>
    <message>
      <source>Comment voter ?</source>
      <translation>Comment voter ?</translation>
    </message>
    <message>
      <source>Vote audio (casque)</source>
      <translation>Vote audio (casque)</translation>
    </message>
    <message>
      <source>Vote audio avec un casque</source>
      <translation>Vote audio avec un casque</translation>
    </message>
    <message>
      <source>Touche F2 ou étoile du pavé numérique</source>
      <translation>Touche F2 ou étoile du pavé numérique</translation>
    </message>
    <message>
      <source>Défilement automatique</source>
      <translation>Défilement automatique</translation>
    </message>
    <message>
      <source>Pour voter avec un seul contacteur</source>
      <translation>Pour voter avec un seul contacteur</translation>
    </message>
    <message>
      <source>Taille du texte</source>
      <translation>Taille du texte</translation>
    </message>
    <message>
      <source>Petit</source>
      <translation>Petit</translation>
    </message>
    <message>
      <source>Moyen</source>
      <translation>Moyen</translation>
    </message>
    <message>
      <source>Grand</source>
      <translation>Grand</translation>
    </message>
    <message>
      <source>Très grand</source>
      <translation>Très grand</translation>
    </message>
    <message>
      <source>Contraste élevé</source>
      <translation>Contraste élevé</translation>
    </message>
    <message>
      <source>Voter</source>
      <translation>Voter</translation>
    </message>
    <message>
      <source>Le vote est en pause. Revenez dans un moment.</source>
      <translation>Le vote est en pause. Revenez dans un moment.</translation>
    </message>
    <message>
      <source>Le vote est terminé. Merci !</source>
      <translation>Le vote est terminé. Merci !</translation>
    </message>
    <message>
      <source>Le vote n'est pas encore ouvert.</source>
      <translation>Le vote n'est pas encore ouvert.</translation>
    </message>
  </context>
  <context>
    <name>Words</name>
    <message>
      <source>Choisissez une seule réponse.</source>
      <translation>Choisissez une seule réponse.</translation>
    </message>
    <message>
      <source>Classez jusqu'à {n} choix. Le premier compte le plus.</source>
      <translation>Classez jusqu'à {n} choix. Le premier compte le plus.</translation>
    </message>
    <message>
      <source>Classez jusqu'à {n} choix, par ordre de préférence. Le premier compte le plus.</source>
      <translation>Classez jusqu'à {n} choix, par ordre de préférence. Le premier compte le plus.</translation>
    </message>
    <message>
      <source>Choisissez des projets sans dépasser {budget}.</source>
      <translation>Choisissez des projets sans dépasser {budget}.</translation>
    </message>
    <message>
      <source>Choisissez {n} réponse.</source>
      <translation>Choisissez {n} réponse.</translation>
    </message>
    <message>
      <source>Choisissez {n} réponses.</source>
      <translation>Choisissez {n} réponses.</translation>
    </message>
    <message>
      <source>Choisissez jusqu'à {n} réponse.</source>
      <translation>Choisissez jusqu'à {n} réponse.</translation>
    </message>
    <message>
      <source>Choisissez jusqu'à {n} réponses.</source>
      <translation>Choisissez jusqu'à {n} réponses.</translation>
    </message>
    <message>
      <source>Réponse choisie.</source>
      <translation>Réponse choisie.</translation>
    </message>
    <message>
      <source>Pas encore de réponse.</source>
      <translation>Pas encore de réponse.</translation>
    </message>
    <message>
      <source>{chosen} / {max} choisis</source>
      <translation>{chosen} / {max} choisis</translation>
    </message>
    <message>
      <source>Vous avez déjà une réponse. Touchez-la pour l'enlever, puis choisissez l'autre.</source>
      <translation>Vous avez déjà une réponse. Touchez-la pour l'enlever, puis choisissez l'autre.</translation>
    </message>
    <message>
      <source>C'est le maximum : {n} réponse. Enlevez-la pour changer.</source>
      <translation>C'est le maximum : {n} réponse. Enlevez-la pour changer.</translation>
    </message>
    <message>
      <source>C'est le maximum : {n} réponses. Enlevez-en une pour changer.</source>
      <translation>C'est le maximum : {n} réponses. Enlevez-en une pour changer.</translation>
    </message>
    <message>
      <source>Ce projet coûte trop cher pour ce qui reste ({left}). Enlevez un projet pour faire de la place.</source>
      <translation>Ce projet coûte trop cher pour ce qui reste ({left}). Enlevez un projet pour faire de la place.</translation>
    </message>
    <message>
      <source>Ce choix n'est pas possible.</source>
      <translation>Ce choix n'est pas possible.</translation>
    </message>
    <message>
      <source>Il faut choisir au moins {n} réponse ici.</source>
      <translation>Il faut choisir au moins {n} réponse ici.</translation>
    </message>
    <message>
      <source>Il faut choisir au moins {n} réponses ici.</source>
      <translation>Il faut choisir au moins {n} réponses ici.</translation>
    </message>
    <message>
      <source>Il faut utiliser au moins {amount} du budget.</source>
      <translation>Il faut utiliser au moins {amount} du budget.</translation>
    </message>
    <message>
      <source>Vous n'avez rien choisi ici : ce sera un vote blanc.</source>
      <translation>Vous n'avez rien choisi ici : ce sera un vote blanc.</translation>
    </message>
    <message>
      <source>Vous pouvez encore choisir {n} réponse.</source>
      <translation>Vous pouvez encore choisir {n} réponse.</translation>
    </message>
    <message>
      <source>Vous pouvez encore choisir {n} réponses.</source>
      <translation>Vous pouvez encore choisir {n} réponses.</translation>
    </message>
    <message>
      <source>Votre vote n'est PAS enregistré : le vote est fermé. Appelez un bénévole.</source>
      <translation>Votre vote n'est PAS enregistré : le vote est fermé. Appelez un bénévole.</translation>
    </message>
    <message>
      <source>Pour le bénévole : cette personne est déjà inscrite. Elle a déjà voté, ici ou ailleurs. Expliquez-lui avec gentillesse qu'on vote une seule fois.</source>
      <translation>Pour le bénévole : cette personne est déjà inscrite. Elle a déjà voté, ici ou ailleurs. Expliquez-lui avec gentillesse qu'on vote une seule fois.</translation>
    </message>
    <message>
      <source>Vérifiez : le nom, le prénom, la date de naissance (JJ/MM/AAAA) et le code postal (5 chiffres).</source>
      <translation>Vérifiez : le nom, le prénom, la date de naissance (JJ/MM/AAAA) et le code postal (5 chiffres).</translation>
    </message>
    <message>
      <source>Votre vote n'est PAS enregistré : problème de stockage. Appelez un bénévole.</source>
      <translation>Votre vote n'est PAS enregistré : problème de stockage. Appelez un bénévole.</translation>
    </message>
    <message>
      <source>Votre vote n'est PAS enregistré. Appelez un bénévole.</source>
      <translation>Votre vote n'est PAS enregistré. Appelez un bénévole.</translation>
    </message>
  </context>
  <context>
    <name>InterruptedPanel</name>
    <message>
      <source>Visites interrompues</source>
      <translation>Visites interrompues</translation>
    </message>
    <message numerus="yes">
      <source>%n personne(s) inscrite(s) sans bulletin enregistré (coupure pendant le vote). Si la personne n'a pas vu « Merci », annulez son inscription : elle pourra voter.</source>
      <translation>
        <numerusform>%n personne inscrite sans bulletin enregistré (coupure pendant le vote). Si elle n'a pas vu « Merci », annulez son inscription : elle pourra voter.</numerusform>
        <numerusform>%n personnes inscrites sans bulletin enregistré (coupure pendant le vote). Si l'une d'elles n'a pas vu « Merci », annulez son inscription : elle pourra voter.</numerusform>
      </translation>
    </message>
    <message>
      <source>Nom</source>
      <translation>Nom</translation>
    </message>
    <message>
      <source>Prénom</source>
      <translation>Prénom</translation>
    </message>
    <message>
      <source>Date de naissance</source>
      <translation>Date de naissance</translation>
    </message>
    <message>
      <source>Code postal</source>
      <translation>Code postal</translation>
    </message>
    <message>
      <source>JJ/MM/AAAA</source>
      <translation>JJ/MM/AAAA</translation>
    </message>
    <message>
      <source>Annuler l'inscription de cette personne</source>
      <translation>Annuler l'inscription de cette personne</translation>
    </message>
    <message>
      <source>Touchez encore pour annuler une inscription</source>
      <translation>Touchez encore pour annuler une inscription</translation>
    </message>
    <message>
      <source>Annuler une inscription interrompue</source>
      <translation>Annuler une inscription interrompue</translation>
    </message>
    <message>
      <source>Inscription annulée (notée dans le journal) : la personne peut voter.</source>
      <translation>Inscription annulée (notée dans le journal) : la personne peut voter.</translation>
    </message>
    <message>
      <source>Cette personne n'a pas d'inscription interrompue sur cette borne.</source>
      <translation>Cette personne n'a pas d'inscription interrompue sur cette borne.</translation>
    </message>
  </context>
</TS>