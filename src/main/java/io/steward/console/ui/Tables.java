package io.steward.console.ui;

import java.util.function.Function;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import org.jspecify.annotations.Nullable;

/** Table columns that show a text made from each row, and a table's pick kept with a view model's. */
public final class Tables {
    private Tables() {}

    /**
     * Keeps {@code table}'s picked row and {@code picked} together: the person's pick goes to the view
     * model, and a row the view model picks itself (the same one read again, one sent from another
     * screen) is picked and scrolled to in the table.
     */
    public static <S> void pickedWith(TableView<S> table, ObjectProperty<@Nullable S> picked) {
        table.getSelectionModel().selectedItemProperty().subscribe(picked::set);
        picked.subscribe(row -> {
            if (row != null && row != table.getSelectionModel().getSelectedItem()) {
                table.getSelectionModel().select(row);
                table.scrollTo(row);
            }
        });
    }

    public static <S> void text(TableColumn<S, String> column, Function<S, String> value) {
        column.setCellValueFactory(cell -> new ReadOnlyStringWrapper(value.apply(cell.getValue())));
    }
}
