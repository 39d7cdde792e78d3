import { useBooleanFlagValue, useFlag } from '@openfeature/react-sdk';
import { useFlags } from 'launchdarkly-react-client-sdk';

/** Flags read the React way: a flags object with camelCased keys, and OpenFeature hooks. */
export function HomePage() {
  const { holidayBanner, darkMode } = useFlags();
  const offline = useBooleanFlagValue('offline-sync', false);
  const { value: checklist } = useFlag('onboarding-checklist', 'control');
  return (
    <main className={darkMode ? 'dark' : 'light'}>
      {holidayBanner && <p>Holiday sale: 20% off everything.</p>}
      {checklist !== 'control' && <ol className={`checklist-${checklist}`} />}
      {offline && <p>Works offline.</p>}
    </main>
  );
}
