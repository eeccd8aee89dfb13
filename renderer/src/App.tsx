// The app shell: header across the top, view navigation on the left, the selected view beside it.
import { Header } from './components/Header';
import { Navigation } from './components/Navigation';
import { ViewPanel } from './components/ViewPanel';

export function App() {
  return (
    <div className="shell">
      <Header />
      <Navigation />
      <ViewPanel />
    </div>
  );
}
