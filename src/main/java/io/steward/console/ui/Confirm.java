package io.steward.console.ui;

import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;

/**
 * Asks before something that cannot be taken back. The button says what it does ("Delete rule"),
 * and Enter presses Cancel: the destructive choice is never the default.
 */
public final class Confirm {
    private Confirm() {}

    /**
     * Shows the question over {@code from}'s window, styled like it; {@code then} runs if the person
     * chooses {@code action}. The dialog is {@code id}-dialog, its button {@code id}-confirm.
     */
    public static void destructive(Node from, String id, String header, String text, String action, Runnable then) {
        var ask = new Alert(Alert.AlertType.CONFIRMATION, text);
        ask.setHeaderText(header);
        var doIt = new ButtonType(action, ButtonBar.ButtonData.OK_DONE);
        ask.getButtonTypes().setAll(doIt, ButtonType.CANCEL);
        ask.initOwner(from.getScene().getWindow());
        ask.getDialogPane().setId(id + "-dialog");
        ask.getDialogPane().getStylesheets().setAll(from.getScene().getStylesheets());
        Button button = (Button) ask.getDialogPane().lookupButton(doIt);
        button.setDefaultButton(false);
        button.setId(id + "-confirm");
        ((Button) ask.getDialogPane().lookupButton(ButtonType.CANCEL)).setDefaultButton(true);
        ask.setOnHidden(event -> {
            if (doIt.equals(ask.getResult())) {
                then.run();
            }
        });
        ask.show();
    }
}
