<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="fr">
  <context>
    <name>ChoiceCard</name>
    <message>
      <source>En savoir plus</source>
      <translation>More</translation>
    </message>
    <message>
      <source>Moins</source>
      <translation>Less</translation>
    </message>
    <message>
      <source>✓ Choisi</source>
      <translation>✓ Chosen</translation>
    </message>
    <message>
      <source>Choisir</source>
      <translation>Choose</translation>
    </message>
    <message>
      <source>Touchez pour enlever</source>
      <translation>Tap to remove</translation>
    </message>
  </context>
  <context>
    <name>ChoosingScreen</name>
    <message>
      <source>Tout</source>
      <translation>All</translation>
    </message>
  </context>
  <context>
    <name>IdleScreen</name>
    <message>
      <source>Êtes-vous toujours là ?</source>
      <translation>Are you still there?</translation>
    </message>
    <message>
      <source>Sans réponse, votre vote sera effacé dans {s} secondes.</source>
      <translation>If you do not answer, your vote will be cleared in {s} seconds.</translation>
    </message>
    <message>
      <source>Oui, je continue</source>
      <translation>Yes, I am still here</translation>
    </message>
  </context>
  <context>
    <name>Keyboard</name>
    <message>
      <source>espace</source>
      <translation>space</translation>
    </message>
    <message>
      <source>effacer</source>
      <translation>erase</translation>
    </message>
  </context>
  <context>
    <name>PinScreen</name>
    <message>
      <source>Annuler</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <source>Choisissez le code du personnel (6 chiffres).</source>
      <translation>Choose the staff code (6 digits).</translation>
    </message>
    <message>
      <source>Tapez le même code encore une fois.</source>
      <translation>Type the same code once more.</translation>
    </message>
    <message>
      <source>Code du personnel</source>
      <translation>Staff code</translation>
    </message>
    <message numerus="yes">
      <source>Attendez %n minute(s) avant d'essayer encore.</source>
      <translation>
        <numerusform>Wait %n minute before trying again.</numerusform>
        <numerusform>Wait %n minutes before trying again.</numerusform>
      </translation>
    </message>
    <message>
      <source>Attendez {s} s avant d'essayer encore.</source>
      <translation>Wait {s} s before trying again.</translation>
    </message>
    <message>
      <source>Code faux. Essayez encore.</source>
      <translation>Wrong code. Try again.</translation>
    </message>
    <message>
      <source>Ce code est trop facile à deviner. Choisissez-en un autre.</source>
      <translation>This code is too easy to guess. Choose another one.</translation>
    </message>
    <message>
      <source>Les deux codes sont différents. Recommencez.</source>
      <translation>The two codes are different. Start again.</translation>
    </message>
    <message>
      <source>Trop d'erreurs : le code est bloqué. Pour le débloquer : « Code de secours » (enveloppe du personnel), ou sur une console : urne kiosk --set-pin. Le vote continue : touchez « Annuler ».</source>
      <translation>Too many errors: the code is locked. To unlock it: “Recovery code” (staff envelope), or from a console: urne kiosk --set-pin. Voting goes on: tap “Cancel”.</translation>
    </message>
    <message>
      <source>Code de secours</source>
      <translation>Recovery code</translation>
    </message>
    <message>
      <source>C'est noté</source>
      <translation>Noted</translation>
    </message>
    <message>
      <source>Notez-le pour l'enveloppe du personnel, hors de la vue des électeurs : il sert une fois, à débloquer le code sur cette borne, et ne sera plus affiché.</source>
      <translation>Write it down for the staff envelope, out of the voters' sight: it works once, to unlock the code on this kiosk, and will not be shown again.</translation>
    </message>
    <message>
      <source>Code de secours (12 chiffres, dans l'enveloppe du personnel)</source>
      <translation>Recovery code (12 digits, in the staff envelope)</translation>
    </message>
    <message>
      <source>Code de secours refusé.</source>
      <translation>Recovery code refused.</translation>
    </message>
    <message>
      <source>Code faux.</source>
      <translation>Wrong code.</translation>
    </message>
    <message>
      <source>Code de secours faux.</source>
      <translation>Wrong recovery code.</translation>
    </message>
    <message>
      <source>Code de secours faux. Essayez encore.</source>
      <translation>Wrong recovery code. Try again.</translation>
    </message>
  </context>
  <context>
    <name>QuestionScreen</name>
    <message>
      <source>Question {n} sur {total}</source>
      <translation>Question {n} of {total}</translation>
    </message>
    <message>
      <source>Retour</source>
      <translation>Back</translation>
    </message>
    <message>
      <source>Revenir au récapitulatif</source>
      <translation>Back to my vote</translation>
    </message>
    <message>
      <source>Question suivante</source>
      <translation>Next question</translation>
    </message>
    <message>
      <source>Voir mon vote</source>
      <translation>See my vote</translation>
    </message>
  </context>
  <context>
    <name>RankRow</name>
    <message>
      <source>Monter</source>
      <translation>Move up</translation>
    </message>
    <message>
      <source>Descendre</source>
      <translation>Move down</translation>
    </message>
    <message>
      <source>Enlever</source>
      <translation>Remove</translation>
    </message>
  </context>
  <context>
    <name>RankingScreen</name>
    <message>
      <source>Votre classement</source>
      <translation>Your ranking</translation>
    </message>
    <message>
      <source>Touchez « Ajouter » sur vos choix, dans l'ordre que vous préférez.</source>
      <translation>Tap “Add” on your choices, in the order you prefer.</translation>
    </message>
    <message>
      <source>Les autres choix</source>
      <translation>The other choices</translation>
    </message>
    <message>
      <source>Ajouter</source>
      <translation>Add</translation>
    </message>
  </context>
  <context>
    <name>RegisterScreen</name>
    <message>
      <source>Avant de voter</source>
      <translation>Before voting</translation>
    </message>
    <message>
      <source>Le bénévole vérifie et coche les trois cases.</source>
      <translation>The volunteer checks and ticks the three boxes.</translation>
    </message>
    <message>
      <source>La personne habite la commune.</source>
      <translation>The person lives in the town.</translation>
    </message>
    <message>
      <source>La personne a le droit de voter.</source>
      <translation>The person may vote.</translation>
    </message>
    <message>
      <source>La personne n'a pas encore voté.</source>
      <translation>The person has not voted yet.</translation>
    </message>
    <message>
      <source>Écrivez vos informations. Elles servent seulement à éviter de voter deux fois.</source>
      <translation>Type your details. They are only used to stop anyone voting twice.</translation>
    </message>
    <message>
      <source>Nom</source>
      <translation>Last name</translation>
    </message>
    <message>
      <source>Prénom</source>
      <translation>First name</translation>
    </message>
    <message>
      <source>Date de naissance</source>
      <translation>Date of birth</translation>
    </message>
    <message>
      <source>Code postal</source>
      <translation>Postcode</translation>
    </message>
    <message>
      <source>JJ/MM/AAAA</source>
      <translation>DD/MM/YYYY</translation>
    </message>
    <message>
      <source>Retour</source>
      <translation>Back</translation>
    </message>
    <message>
      <source>Continuer</source>
      <translation>Continue</translation>
    </message>
  </context>
  <context>
    <name>ReviewScreen</name>
    <message>
      <source>Votre vote</source>
      <translation>Your vote</translation>
    </message>
    <message>
      <source>Vérifiez vos choix. Vous pouvez encore les changer.</source>
      <translation>Check your choices. You can still change them.</translation>
    </message>
    <message>
      <source>Total : {spent} sur {budget}</source>
      <translation>Total: {spent} of {budget}</translation>
    </message>
    <message>
      <source>Modifier</source>
      <translation>Change</translation>
    </message>
    <message>
      <source>Valider mon vote</source>
      <translation>Cast my vote</translation>
    </message>
    <message>
      <source>Il manque quelque chose : regardez les messages ci-dessus.</source>
      <translation>Something is missing: see the messages above.</translation>
    </message>
  </context>
  <context>
    <name>ScrollPanel</name>
    <message>
      <source>Monter la liste</source>
      <translation>Scroll the list up</translation>
    </message>
    <message>
      <source>Descendre la liste</source>
      <translation>Scroll the list down</translation>
    </message>
  </context>
  <context>
    <name>Staff</name>
    <message>
      <source>Sauvegarde vérifiée : {n} bulletins dans {path}</source>
      <translation>Backup checked: {n} ballots in {path}</translation>
    </message>
    <message>
      <source>Fichier de synchronisation écrit : {n} bulletins dans {path}</source>
      <translation>Sync file written: {n} ballots in {path}</translation>
    </message>
    <message>
      <source>Échec : {problem}</source>
      <translation>Failed: {problem}</translation>
    </message>
    <message>
      <source>{n} bulletins vierges en PDF sur la clé : {path}</source>
      <translation>{n} blank ballots as a PDF on the USB drive: {path}</translation>
    </message>
    <message>
      <source>{n} bulletins vierges envoyés à l'imprimante</source>
      <translation>{n} blank ballots sent to the printer</translation>
    </message>
  </context>
  <context>
    <name>StaffMenu</name>
    <message>
      <source>pas encore ouvert</source>
      <translation>not opened yet</translation>
    </message>
    <message>
      <source>ouvert</source>
      <translation>open</translation>
    </message>
    <message>
      <source>en pause</source>
      <translation>paused</translation>
    </message>
    <message>
      <source>fermé</source>
      <translation>closed</translation>
    </message>
    <message>
      <source>Menu du personnel</source>
      <translation>Staff menu</translation>
    </message>
    <message>
      <source>Vote : {state}</source>
      <translation>Voting: {state}</translation>
    </message>
    <message>
      <source>Bulletins enregistrés : {ballots} · Inscrits : {register}</source>
      <translation>Ballots stored: {ballots} · Register entries: {register}</translation>
    </message>
    <message>
      <source>Ouvrir le vote</source>
      <translation>Open voting</translation>
    </message>
    <message>
      <source>Mettre en pause</source>
      <translation>Pause</translation>
    </message>
    <message>
      <source>Touchez encore pour fermer</source>
      <translation>Tap again to close</translation>
    </message>
    <message>
      <source>Fermer le vote</source>
      <translation>Close voting</translation>
    </message>
    <message>
      <source>Voir les résultats</source>
      <translation>See the results</translation>
    </message>
    <message>
      <source>Sauvegarder sur clé USB</source>
      <translation>Back up to USB stick</translation>
    </message>
    <message>
      <source>Exporter pour la synchronisation</source>
      <translation>Export for sync</translation>
    </message>
    <message>
      <source>Imprimer 20 bulletins vierges</source>
      <translation>Print 20 blank ballots</translation>
    </message>
    <message>
      <source>Touchez encore pour quitter</source>
      <translation>Tap again to quit</translation>
    </message>
    <message>
      <source>Quitter Urne</source>
      <translation>Quit Urne</translation>
    </message>
    <message>
      <source>Retour à l'accueil</source>
      <translation>Back to the start</translation>
    </message>
    <message>
      <source>Touchez encore pour rouvrir</source>
      <translation>Tap again to reopen</translation>
    </message>
    <message>
      <source>Touchez encore pour ouvrir</source>
      <translation>Tap again to open</translation>
    </message>
    <message>
      <source>Rouvrir le vote</source>
      <translation>Reopen the polls</translation>
    </message>
    <message>
      <source>Aucune clé USB trouvée. Branchez une clé, attendez quelques secondes, puis touchez encore.</source>
      <translation>No USB drive found. Plug one in, wait a few seconds, then tap again.</translation>
    </message>
    <message>
      <source>Sur la clé « {name} »</source>
      <translation>On the drive “{name}”</translation>
    </message>
    <message>
      <source>Sur l'imprimante…</source>
      <translation>On the printer…</translation>
    </message>
    <message>
      <source>En PDF sur la clé « {name} »</source>
      <translation>As a PDF on the drive “{name}”</translation>
    </message>
    <message>
      <source>Le vote est fermé. Le rouvrir sera noté dans le journal.</source>
      <translation>The polls are closed. Reopening them will be written in the log.</translation>
    </message>
    <message>
      <source>Attention : le vote ne commence que le {date}.</source>
      <translation>Warning: the vote only starts on {date}.</translation>
    </message>
    <message>
      <source>Attention : le vote s'est terminé le {date}.</source>
      <translation>Warning: the vote ended on {date}.</translation>
    </message>
    <message>
      <source>Rien n'a changé : l'état du vote a changé entre-temps. Regardez l'état ci-dessus.</source>
      <translation>Nothing changed: the polls changed meanwhile. See their state above.</translation>
    </message>
    <message>
      <source>Choisissez d'abord le code du personnel.</source>
      <translation>Choose the staff code first.</translation>
    </message>
  </context>
  <context>
    <name>ThanksScreen</name>
    <message>
      <source>Merci !</source>
      <translation>Thank you!</translation>
    </message>
    <message>
      <source>Votre vote est enregistré.</source>
      <translation>Your vote is saved.</translation>
    </message>
    <message>
      <source>Retour à l'accueil dans {s} s.</source>
      <translation>Back to the start in {s} s.</translation>
    </message>
    <message>
      <source>Terminer</source>
      <translation>Finish</translation>
    </message>
  </context>
  <context>
    <name>WelcomeScreen</name>
    <message>
      <source>Comment voter ?</source>
      <translation>How to vote?</translation>
    </message>
    <message>
      <source>Vote audio (casque)</source>
      <translation>Audio voting (headphones)</translation>
    </message>
    <message>
      <source>Vote audio avec un casque</source>
      <translation>Audio voting with headphones</translation>
    </message>
    <message>
      <source>Touche F2 ou étoile du pavé numérique</source>
      <translation>F2 key or the keypad's star key</translation>
    </message>
    <message>
      <source>Défilement automatique</source>
      <translation>Automatic scanning</translation>
    </message>
    <message>
      <source>Pour voter avec un seul contacteur</source>
      <translation>To vote with a single switch</translation>
    </message>
    <message>
      <source>Taille du texte</source>
      <translation>Text size</translation>
    </message>
    <message>
      <source>Petit</source>
      <translation>Small</translation>
    </message>
    <message>
      <source>Moyen</source>
      <translation>Medium</translation>
    </message>
    <message>
      <source>Grand</source>
      <translation>Large</translation>
    </message>
    <message>
      <source>Très grand</source>
      <translation>Very large</translation>
    </message>
    <message>
      <source>Contraste élevé</source>
      <translation>High contrast</translation>
    </message>
    <message>
      <source>Voter</source>
      <translation>Vote</translation>
    </message>
    <message>
      <source>Le vote est en pause. Revenez dans un moment.</source>
      <translation>Voting is paused. Come back in a moment.</translation>
    </message>
    <message>
      <source>Le vote est terminé. Merci !</source>
      <translation>Voting is over. Thank you!</translation>
    </message>
    <message>
      <source>Le vote n'est pas encore ouvert.</source>
      <translation>Voting is not open yet.</translation>
    </message>
  </context>
  <context>
    <name>Words</name>
    <message>
      <source>Choisissez une seule réponse.</source>
      <translation>Choose one answer only.</translation>
    </message>
    <message>
      <source>Classez jusqu'à {n} choix. Le premier compte le plus.</source>
      <translation>Rank up to {n} choice. The first counts most.</translation>
    </message>
    <message>
      <source>Classez jusqu'à {n} choix, par ordre de préférence. Le premier compte le plus.</source>
      <translation>Rank up to {n} choices, in order of preference. The first counts most.</translation>
    </message>
    <message>
      <source>Choisissez des projets sans dépasser {budget}.</source>
      <translation>Choose projects without going over {budget}.</translation>
    </message>
    <message>
      <source>Choisissez {n} réponse.</source>
      <translation>Choose {n} answer.</translation>
    </message>
    <message>
      <source>Choisissez {n} réponses.</source>
      <translation>Choose {n} answers.</translation>
    </message>
    <message>
      <source>Choisissez jusqu'à {n} réponse.</source>
      <translation>Choose up to {n} answer.</translation>
    </message>
    <message>
      <source>Choisissez jusqu'à {n} réponses.</source>
      <translation>Choose up to {n} answers.</translation>
    </message>
    <message>
      <source>Réponse choisie.</source>
      <translation>Answer chosen.</translation>
    </message>
    <message>
      <source>Pas encore de réponse.</source>
      <translation>No answer yet.</translation>
    </message>
    <message>
      <source>{chosen} / {max} choisis</source>
      <translation>{chosen} / {max} chosen</translation>
    </message>
    <message>
      <source>Vous avez déjà une réponse. Touchez-la pour l'enlever, puis choisissez l'autre.</source>
      <translation>You already have an answer. Tap it to remove it, then choose the other one.</translation>
    </message>
    <message>
      <source>C'est le maximum : {n} réponse. Enlevez-la pour changer.</source>
      <translation>That is the maximum: {n} answer. Remove it to change.</translation>
    </message>
    <message>
      <source>C'est le maximum : {n} réponses. Enlevez-en une pour changer.</source>
      <translation>That is the maximum: {n} answers. Remove one to change.</translation>
    </message>
    <message>
      <source>Ce projet coûte trop cher pour ce qui reste ({left}). Enlevez un projet pour faire de la place.</source>
      <translation>This project costs more than what is left ({left}). Remove a project to make room.</translation>
    </message>
    <message>
      <source>Ce choix n'est pas possible.</source>
      <translation>This choice is not possible.</translation>
    </message>
    <message>
      <source>Il faut choisir au moins {n} réponse ici.</source>
      <translation>Choose at least {n} answer here.</translation>
    </message>
    <message>
      <source>Il faut choisir au moins {n} réponses ici.</source>
      <translation>Choose at least {n} answers here.</translation>
    </message>
    <message>
      <source>Il faut utiliser au moins {amount} du budget.</source>
      <translation>You must use at least {amount} of the budget.</translation>
    </message>
    <message>
      <source>Vous n'avez rien choisi ici : ce sera un vote blanc.</source>
      <translation>You chose nothing here: it will be a blank vote.</translation>
    </message>
    <message>
      <source>Vous pouvez encore choisir {n} réponse.</source>
      <translation>You can still choose {n} more answer.</translation>
    </message>
    <message>
      <source>Vous pouvez encore choisir {n} réponses.</source>
      <translation>You can still choose {n} more answers.</translation>
    </message>
    <message>
      <source>Votre vote n'est PAS enregistré : le vote est fermé. Appelez un bénévole.</source>
      <translation>Your vote is NOT saved: voting is closed. Call a volunteer.</translation>
    </message>
    <message>
      <source>Pour le bénévole : cette personne est déjà inscrite. Elle a déjà voté, ici ou ailleurs. Expliquez-lui avec gentillesse qu'on vote une seule fois.</source>
      <translation>For the volunteer: this person is already in the register. They have already voted, here or elsewhere. Kindly explain that everyone votes once.</translation>
    </message>
    <message>
      <source>Vérifiez : le nom, le prénom, la date de naissance (JJ/MM/AAAA) et le code postal (5 chiffres).</source>
      <translation>Check: last name, first name, date of birth (DD/MM/YYYY) and postcode (5 digits).</translation>
    </message>
    <message>
      <source>Votre vote n'est PAS enregistré : problème de stockage. Appelez un bénévole.</source>
      <translation>Your vote is NOT saved: storage problem. Call a volunteer.</translation>
    </message>
    <message>
      <source>Votre vote n'est PAS enregistré. Appelez un bénévole.</source>
      <translation>Your vote is NOT saved. Call a volunteer.</translation>
    </message>
  </context>
  <context>
    <name>InterruptedPanel</name>
    <message>
      <source>Visites interrompues</source>
      <translation>Interrupted visits</translation>
    </message>
    <message numerus="yes">
      <source>%n personne(s) inscrite(s) sans bulletin enregistré (coupure pendant le vote). Si la personne n'a pas vu « Merci », annulez son inscription : elle pourra voter.</source>
      <translation>
        <numerusform>%n person registered with no ballot stored (a power cut during the vote). If they did not see “Thank you”, cancel their registration: they may vote.</numerusform>
        <numerusform>%n people registered with no ballot stored (a power cut during the vote). If one did not see “Thank you”, cancel their registration: they may vote.</numerusform>
      </translation>
    </message>
    <message>
      <source>Nom</source>
      <translation>Last name</translation>
    </message>
    <message>
      <source>Prénom</source>
      <translation>First name</translation>
    </message>
    <message>
      <source>Date de naissance</source>
      <translation>Date of birth</translation>
    </message>
    <message>
      <source>Code postal</source>
      <translation>Postcode</translation>
    </message>
    <message>
      <source>JJ/MM/AAAA</source>
      <translation>DD/MM/YYYY</translation>
    </message>
    <message>
      <source>Annuler l'inscription de cette personne</source>
      <translation>Cancel this person's registration</translation>
    </message>
    <message>
      <source>Touchez encore pour annuler une inscription</source>
      <translation>Tap again to cancel a registration</translation>
    </message>
    <message>
      <source>Annuler une inscription interrompue</source>
      <translation>Cancel an interrupted registration</translation>
    </message>
    <message>
      <source>Inscription annulée (notée dans le journal) : la personne peut voter.</source>
      <translation>Registration cancelled (written to the log): the person may vote.</translation>
    </message>
    <message>
      <source>Cette personne n'a pas d'inscription interrompue sur cette borne.</source>
      <translation>This person has no interrupted registration on this kiosk.</translation>
    </message>
  </context>
</TS>