package io.steward.console.ui;

import javafx.beans.value.ObservableStringValue;
import javafx.scene.control.Label;

/** Labels for messages that take no room when there is nothing to say. */
public final class Labels {
    private Labels() {}

    /** Shows {@code text} in {@code label}, and hides the label (taking no space) while it is empty. */
    public static void shownWhenSet(Label label, ObservableStringValue text) {
        label.textProperty().bind(text);
        label.visibleProperty().bind(label.textProperty().isNotEmpty());
        label.managedProperty().bind(label.visibleProperty());
    }
}
